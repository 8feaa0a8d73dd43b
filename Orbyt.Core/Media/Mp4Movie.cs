using System.Buffers.Binary;
using System.Text;

namespace Orbyt.Core.Media;

/// <summary>
/// What an ISO-BMFF <c>moov</c> box says: the movie's duration (<c>mvhd</c>), and per track its handler
/// (<c>hdlr</c>: vide, soun), display size (<c>tkhd</c>, turned by its matrix: a phone video stored 1920×1080 with a
/// 90° matrix plays 1080×1920) and codec (the first <c>stsd</c> sample entry). ISO/IEC 14496-12.
/// </summary>
public sealed record Mp4Movie(TimeSpan? Duration, int? Width, int? Height, string? VideoCodec, string? AudioCodec)
{
    /// <summary>Parses the payload of a <c>moov</c> box (without its own 8- or 16-byte header).</summary>
    public static Mp4Movie Parse(ReadOnlySpan<byte> moov)
    {
        TimeSpan? duration = null;
        int? width = null, height = null;
        string? video = null, audio = null;
        foreach (var (type, body) in Children(moov))
        {
            if (type == "mvhd")
                duration = MovieDuration(body);
            else if (type == "trak")
            {
                var track = Track(body);
                if (track.Handler == "vide" && video is null)
                    (video, width, height) = (track.Codec, track.Width, track.Height);
                else if (track.Handler == "soun" && audio is null)
                    audio = track.Codec;
            }
        }
        return new Mp4Movie(duration, width, height, video, audio);
    }

    private static TimeSpan? MovieDuration(ReadOnlySpan<byte> mvhd)
    {
        if (mvhd.Length < 20) return null;
        var (timescale, duration) = mvhd[0] == 1 && mvhd.Length >= 32
            ? (BinaryPrimitives.ReadUInt32BigEndian(mvhd[20..]), BinaryPrimitives.ReadUInt64BigEndian(mvhd[24..]))
            : (BinaryPrimitives.ReadUInt32BigEndian(mvhd[12..]), (ulong)BinaryPrimitives.ReadUInt32BigEndian(mvhd[16..]));
        return timescale == 0 || duration == ulong.MaxValue || duration == uint.MaxValue ? null : TimeSpan.FromSeconds((double)duration / timescale);
    }

    private sealed record TrackFacts(string? Handler, string? Codec, int? Width, int? Height);

    private static TrackFacts Track(ReadOnlySpan<byte> trak)
    {
        string? handler = null, codec = null;
        int? width = null, height = null;
        foreach (var (type, body) in Children(trak))
        {
            if (type == "tkhd")
                (width, height) = DisplaySize(body);
            else if (type == "mdia")
            {
                foreach (var (mdiaType, mdiaBody) in Children(body))
                {
                    if (mdiaType == "hdlr" && mdiaBody.Length >= 12)
                        handler = Encoding.ASCII.GetString(mdiaBody, 8, 4);
                    else if (mdiaType == "minf")
                        codec = SampleEntry(mdiaBody);
                }
            }
        }
        return new TrackFacts(handler, codec, width, height);
    }

    /// <summary><c>tkhd</c>: width and height (16.16 fixed) are its last 8 bytes, after the 3×3 matrix.</summary>
    private static (int?, int?) DisplaySize(ReadOnlySpan<byte> tkhd)
    {
        var matrixAt = tkhd.Length >= 1 && tkhd[0] == 1 ? 52 : 40;
        if (tkhd.Length < matrixAt + 36 + 8) return (null, null);
        var width = (int)(BinaryPrimitives.ReadUInt32BigEndian(tkhd[(matrixAt + 36)..]) >> 16);
        var height = (int)(BinaryPrimitives.ReadUInt32BigEndian(tkhd[(matrixAt + 40)..]) >> 16);
        if (width == 0 || height == 0) return (null, null);
        // A rotation by 90° or 270° has a = d = 0 in the matrix { a b u, c d v, x y w }.
        var a = BinaryPrimitives.ReadInt32BigEndian(tkhd[matrixAt..]);
        var d = BinaryPrimitives.ReadInt32BigEndian(tkhd[(matrixAt + 16)..]);
        return a == 0 && d == 0 ? (height, width) : (width, height);
    }

    /// <summary>minf → stbl → stsd: the four-character type of the first sample entry.</summary>
    private static string? SampleEntry(ReadOnlySpan<byte> minf)
    {
        foreach (var (type, body) in Children(minf))
        {
            if (type != "stbl") continue;
            foreach (var (stblType, stblBody) in Children(body))
            {
                // stsd: version/flags (4), entry_count (4), then the entries as boxes.
                if (stblType == "stsd" && stblBody.Length >= 16)
                    return Encoding.ASCII.GetString(stblBody, 12, 4);
            }
        }
        return null;
    }

    /// <summary>The boxes inside a container box's payload, as (type, payload). Stops at the first malformed size.</summary>
    public static List<(string Type, byte[] Body)> Children(ReadOnlySpan<byte> payload)
    {
        var boxes = new List<(string, byte[])>();
        var at = 0;
        while (at + 8 <= payload.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(payload[at..]);
            var type = Encoding.ASCII.GetString(payload.Slice(at + 4, 4));
            var header = 8;
            if (size == 1)
            {
                if (at + 16 > payload.Length) break;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(payload[(at + 8)..]);
                header = 16;
            }
            else if (size == 0)
                size = payload.Length - at;
            if (size < header || at + size > payload.Length) break;
            boxes.Add((type, payload.Slice(at + header, (int)size - header).ToArray()));
            at += (int)size;
        }
        return boxes;
    }
}
