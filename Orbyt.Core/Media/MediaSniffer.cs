using System.Buffers.Binary;

namespace Orbyt.Core.Media;

/// <summary>
/// Reads a file's format from its magic number and an image's pixel size from its header — never from the URL's
/// suffix. Works on the first bytes of the file only (a probe reads 64 KiB).
/// </summary>
public static class MediaSniffer
{
    public static MediaFormat Format(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) return MediaFormat.Jpeg;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return MediaFormat.Png;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return MediaFormat.Gif;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return MediaFormat.WebP;
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)) return MediaFormat.Tiff;
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8)) return head[8..12].SequenceEqual("qt  "u8) ? MediaFormat.QuickTime : MediaFormat.Mp4;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return MediaFormat.WebM;
        if (head.Length >= 26 && head.StartsWith("BM"u8) && BinaryPrimitives.ReadUInt32LittleEndian(head[14..]) is 12 or 40 or 52 or 56 or 108 or 124) return MediaFormat.Bmp;
        return MediaFormat.Unknown;
    }

    /// <summary>An image's width and height in pixels from its header, or null when the header is not in <paramref name="head"/>.</summary>
    public static (int Width, int Height)? ImageSize(MediaFormat format, ReadOnlySpan<byte> head) => format switch
    {
        MediaFormat.Jpeg => JpegSize(head),
        MediaFormat.Png when head.Length >= 24 && head[12..16].SequenceEqual("IHDR"u8) =>
            ((int)BinaryPrimitives.ReadUInt32BigEndian(head[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(head[20..])),
        MediaFormat.Gif when head.Length >= 10 => (BinaryPrimitives.ReadUInt16LittleEndian(head[6..]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..])),
        MediaFormat.WebP => WebPSize(head),
        MediaFormat.Bmp when head.Length >= 26 => (BinaryPrimitives.ReadInt32LittleEndian(head[18..]), Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(head[22..]))),
        _ => null,
    };

    /// <summary>Walks the JPEG's marker segments to the first start-of-frame (SOF0–SOF15, not DHT/JPG/DAC).</summary>
    private static (int, int)? JpegSize(ReadOnlySpan<byte> data)
    {
        var i = 2;
        while (i + 9 < data.Length)
        {
            if (data[i] != 0xFF) return null;
            var marker = data[i + 1];
            if (marker == 0xFF) { i++; continue; }
            // Standalone markers carry no length.
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }
            if (marker == 0xDA) return null;
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
                return (BinaryPrimitives.ReadUInt16BigEndian(data[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]));
            i += 2 + length;
        }
        return null;
    }

    private static (int, int)? WebPSize(ReadOnlySpan<byte> d)
    {
        if (d.Length < 30) return null;
        var chunk = d[12..16];
        if (chunk.SequenceEqual("VP8 "u8))
            return (BinaryPrimitives.ReadUInt16LittleEndian(d[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(d[28..]) & 0x3FFF);
        if (chunk.SequenceEqual("VP8L"u8) && d[20] == 0x2F)
            return (1 + (d[21] | ((d[22] & 0x3F) << 8)), 1 + ((d[22] >> 6) | (d[23] << 2) | ((d[24] & 0x0F) << 10)));
        if (chunk.SequenceEqual("VP8X"u8))
            return (1 + (d[24] | (d[25] << 8) | (d[26] << 16)), 1 + (d[27] | (d[28] << 8) | (d[29] << 16)));
        return null;
    }
}
