using System.Buffers.Binary;
using System.Text;

namespace Orbyt.Sandbox.Mux;

/// <summary>
/// A deterministic MP4 of any size, made on the fly: a real ISO-BMFF <c>ftyp</c> box, a real <c>moov</c> box
/// (movie duration, an H.264-or-other video track with its display size, an AAC audio track) before or after the
/// <c>mdat</c> box, and filler from a counter-based generator as the media data — so a probe can read what a real
/// rendition says, and any byte range can be produced without storing the file. A file too small to hold the
/// <c>moov</c> box has none.
/// </summary>
public sealed class MuxContent
{
    private static readonly byte[] FileType =
    [
        0x00, 0x00, 0x00, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m',
        0x00, 0x00, 0x02, 0x00, (byte)'i', (byte)'s', (byte)'o', (byte)'m', (byte)'i', (byte)'s', (byte)'o', (byte)'2',
        (byte)'a', (byte)'v', (byte)'c', (byte)'1', (byte)'m', (byte)'p', (byte)'4', (byte)'1',
    ];

    private readonly int _seed;
    private readonly byte[] _prefix;
    private readonly byte[] _suffix;

    public MuxContent(int seed, long size, MuxMovie movie, bool movieAtEnd)
    {
        _seed = seed;
        Size = size;
        var moov = MovieBox(movie);
        HasMovieBox = size >= FileType.Length + moov.Length + 16 + 1;
        var mediaDataSize = size - FileType.Length - (HasMovieBox ? moov.Length : 0);
        var mdatHeader = MediaDataHeader(mediaDataSize);
        _prefix = [.. FileType, .. HasMovieBox && !movieAtEnd ? moov : [], .. mdatHeader];
        _suffix = HasMovieBox && movieAtEnd ? moov : [];
    }

    public long Size { get; }
    public bool HasMovieBox { get; }

    /// <summary>Fills <paramref name="destination"/> with the bytes at <paramref name="offset"/>.</summary>
    public void Fill(long offset, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = ByteAt(offset + i);
        }
    }

    private byte ByteAt(long position)
    {
        if (position < _prefix.Length)
        {
            return _prefix[position];
        }

        var suffixStart = Size - _suffix.Length;
        if (position >= suffixStart)
        {
            return _suffix[position - suffixStart];
        }

        var block = (ulong)(position >> 3) ^ ((ulong)(uint)_seed << 32);
        return (byte)(SplitMix64(block) >> (8 * (int)(position & 7)));
    }

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>SHA-256 of the whole file, streamed.</summary>
    public string Sha256()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[65536];
        for (long offset = 0; offset < Size; offset += buffer.Length)
        {
            var count = (int)Math.Min(buffer.Length, Size - offset);
            Fill(offset, buffer.AsSpan(0, count));
            hash.AppendData(buffer, 0, count);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The <c>mdat</c> header for a box of <paramref name="size"/> bytes (64-bit size when it does not fit 32).</summary>
    private static byte[] MediaDataHeader(long size)
    {
        if (size <= uint.MaxValue)
        {
            return Box("mdat", [], sizeOverride: size);
        }

        var header = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(header, 1);
        Encoding.ASCII.GetBytes("mdat", header.AsSpan(4));
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(8), size);
        return header;
    }

    // ---- moov (ISO/IEC 14496-12) ----------------------------------------------------------------------------------

    private const uint TimeScale = 1000;

    private static byte[] MovieBox(MuxMovie movie)
    {
        var duration = (uint)Math.Round(movie.DurationSeconds * TimeScale);
        var mvhd = new BinaryBody().U32(0).U32(0).U32(0).U32(TimeScale).U32(duration).U32(0x00010000).U16(0x0100).Zero(10).Matrix(0).Zero(24).U32(3);
        return Box("moov", [.. Box("mvhd", mvhd), .. VideoTrack(movie, duration), .. AudioTrack(duration)]);
    }

    private static byte[] VideoTrack(MuxMovie movie, uint duration)
    {
        // Stored size: a rotated track keeps the coded size in tkhd and turns it with the matrix.
        var (w, h) = movie.Rotation is 90 or 270 ? (movie.Height, movie.Width) : (movie.Width, movie.Height);
        var tkhd = new BinaryBody().U32(3).U32(0).U32(0).U32(1).U32(0).U32(duration).Zero(8).U16(0).U16(0).U16(0).U16(0).Matrix(movie.Rotation).U32((uint)w << 16).U32((uint)h << 16);
        var entry = new BinaryBody().Zero(6).U16(1).Zero(16).U16((ushort)w).U16((ushort)h).U32(0x00480000).U32(0x00480000).U32(0).U16(1).Zero(32).U16(0x0018).U16(0xFFFF);
        return Track(tkhd, "vide", Box(movie.VideoCodec, entry), duration);
    }

    private static byte[] AudioTrack(uint duration)
    {
        var tkhd = new BinaryBody().U32(3).U32(0).U32(0).U32(2).U32(0).U32(duration).Zero(8).U16(0).U16(1).U16(0x0100).U16(0).Matrix(0).U32(0).U32(0);
        var entry = new BinaryBody().Zero(6).U16(1).Zero(8).U16(2).U16(16).U16(0).U16(0).U32(48000u << 16);
        return Track(tkhd, "soun", Box("mp4a", entry), duration);
    }

    private static byte[] Track(BinaryBody tkhd, string handler, byte[] sampleEntry, uint duration)
    {
        var mdhd = new BinaryBody().U32(0).U32(0).U32(0).U32(TimeScale).U32(duration).U16(0x55C4).U16(0);
        var hdlr = new BinaryBody().U32(0).U32(0).Ascii(handler).Zero(12).Ascii("Sandbox\0");
        var stsd = new BinaryBody().U32(0).U32(1).Bytes(sampleEntry);
        var minf = Box("minf", Box("stbl", Box("stsd", stsd)));
        return Box("trak", [.. Box("tkhd", tkhd), .. Box("mdia", [.. Box("mdhd", mdhd), .. Box("hdlr", hdlr), .. minf])]);
    }

    private static byte[] Box(string type, byte[] payload, long? sizeOverride = null)
    {
        var box = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)(sizeOverride ?? box.Length));
        Encoding.ASCII.GetBytes(type, box.AsSpan(4, 4));
        payload.CopyTo(box, 8);
        return box;
    }

    private static byte[] Box(string type, BinaryBody body) => Box(type, body.ToArray());

    /// <summary>A box payload written field by field, big-endian.</summary>
    private sealed class BinaryBody
    {
        private readonly List<byte> _bytes = [];

        public BinaryBody U32(uint value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
            _bytes.AddRange(b);
            return this;
        }

        public BinaryBody U16(ushort value)
        {
            _bytes.Add((byte)(value >> 8));
            _bytes.Add((byte)value);
            return this;
        }

        public BinaryBody Zero(int count)
        {
            _bytes.AddRange(new byte[count]);
            return this;
        }

        public BinaryBody Ascii(string text)
        {
            _bytes.AddRange(Encoding.ASCII.GetBytes(text));
            return this;
        }

        public BinaryBody Bytes(byte[] bytes)
        {
            _bytes.AddRange(bytes);
            return this;
        }

        /// <summary>The 3×3 transformation matrix (16.16 and 2.30 fixed point) for a rotation of 0, 90, 180 or 270°.</summary>
        public BinaryBody Matrix(int rotation)
        {
            const uint one = 0x00010000, minusOne = 0xFFFF0000, w = 0x40000000;
            var (a, b, c, d) = rotation switch
            {
                90 => (0u, one, minusOne, 0u),
                180 => (minusOne, 0u, 0u, minusOne),
                270 => (0u, minusOne, one, 0u),
                _ => (one, 0u, 0u, one),
            };
            return U32(a).U32(b).U32(0).U32(c).U32(d).U32(0).U32(0).U32(0).U32(w);
        }

        public byte[] ToArray() => [.. _bytes];
    }
}
