using System.Buffers.Binary;
using System.Text;

namespace Orbyt.Sandbox.Media;

/// <summary>
/// Watches a file go by, byte by byte in order, and keeps only what Meta checks: the JPEG's frame size, or the MP4's
/// <c>moov</c> box (wherever it sits, up to 4 MiB) for the duration and the video track's display size — so the
/// sandbox can refuse what Meta refuses (§4.4: 36003/2207009 ratio; §13.8: Reels 3 s – 15 min, ≤ 1920 px wide).
/// </summary>
public sealed class MediaInspector
{
    private const int MaxMovieBox = 4 * 1024 * 1024;
    private readonly byte[] _head = new byte[64 * 1024];
    private readonly byte[] _boxHeader = new byte[16];
    private long _position;
    private long _boxStart;
    private long _boxEnd = -1;
    private bool _notIsoBmff;
    private byte[]? _movie;
    private byte[]? _completeMovie;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            Step(b);
        }
    }

    private void Step(byte b)
    {
        if (_position < _head.Length)
        {
            _head[_position] = b;
        }

        if (!_notIsoBmff)
        {
            var inBox = _position - _boxStart;
            if (_boxEnd < 0)
            {
                if (inBox < 16)
                {
                    _boxHeader[inBox] = b;
                }

                var size32 = inBox >= 7 ? BinaryPrimitives.ReadUInt32BigEndian(_boxHeader) : 0;
                if (inBox == 7 && size32 != 1)
                {
                    Open(size32 == 0 ? long.MaxValue - _boxStart : size32, 8);
                }
                else if (inBox == 15 && size32 == 1)
                {
                    Open((long)BinaryPrimitives.ReadUInt64BigEndian(_boxHeader.AsSpan(8)), 16);
                }
            }
            else if (_movie is not null)
            {
                _movie[inBox] = b;
            }
        }

        _position++;
        if (_boxEnd >= 0 && _position >= _boxEnd)
        {
            _completeMovie ??= _movie;
            _movie = null;
            _boxStart = _position;
            _boxEnd = -1;
        }
    }

    private void Open(long size, int headerLength)
    {
        var type = Encoding.ASCII.GetString(_boxHeader, 4, 4);
        if (size < headerLength || (_boxStart == 0 && type != "ftyp"))
        {
            _notIsoBmff = true;
            return;
        }

        _boxEnd = _boxStart + size;
        if (type == "moov" && size <= MaxMovieBox && _completeMovie is null)
        {
            _movie = new byte[size];
            _boxHeader.AsSpan(0, headerLength).CopyTo(_movie);
        }
    }

    /// <summary>What was seen: a JPEG's size, or an MP4's duration and display size; null members are unknown.</summary>
    public MediaShape Shape()
    {
        var head = _head.AsSpan(0, (int)Math.Min(_position, _head.Length));
        if (head.Length > 3 && head[0] == 0xFF && head[1] == 0xD8)
        {
            var (w, h) = JpegFrame(head);
            return new MediaShape(w, h, null);
        }

        return _completeMovie is { } moov ? Movie(moov) : new MediaShape(null, null, null);
    }

    private static (int?, int?) JpegFrame(ReadOnlySpan<byte> jpeg)
    {
        for (var i = 2; i + 9 < jpeg.Length;)
        {
            if (jpeg[i] != 0xFF)
            {
                break;
            }

            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (marker is 0xC0 or 0xC1 or 0xC2 or 0xC3 or 0xC5 or 0xC6 or 0xC7 or 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF)
            {
                return ((jpeg[i + 7] << 8) | jpeg[i + 8], (jpeg[i + 5] << 8) | jpeg[i + 6]);
            }

            i += 2 + length;
        }

        return (null, null);
    }

    /// <summary>mvhd's duration and the widest track header's display size (turned by a 90°/270° matrix).</summary>
    private static MediaShape Movie(byte[] moov)
    {
        double? duration = null;
        int? width = null, height = null;
        foreach (var (type, at, end) in Boxes(moov, 8, moov.Length))
        {
            if (type == "mvhd")
            {
                var v1 = moov[at] == 1;
                var scale = BinaryPrimitives.ReadUInt32BigEndian(moov.AsSpan(at + (v1 ? 20 : 12)));
                var units = v1 ? BinaryPrimitives.ReadUInt64BigEndian(moov.AsSpan(at + 24)) : BinaryPrimitives.ReadUInt32BigEndian(moov.AsSpan(at + 16));
                duration = scale == 0 ? null : (double)units / scale;
            }
            else if (type == "trak")
            {
                foreach (var (child, tkhd, _) in Boxes(moov, at, end))
                {
                    if (child != "tkhd")
                    {
                        continue;
                    }

                    var matrix = tkhd + (moov[tkhd] == 1 ? 52 : 40);
                    var w = (int)(BinaryPrimitives.ReadUInt32BigEndian(moov.AsSpan(matrix + 36)) >> 16);
                    var h = (int)(BinaryPrimitives.ReadUInt32BigEndian(moov.AsSpan(matrix + 40)) >> 16);
                    var turned = BinaryPrimitives.ReadInt32BigEndian(moov.AsSpan(matrix)) == 0 && BinaryPrimitives.ReadInt32BigEndian(moov.AsSpan(matrix + 16)) == 0;
                    if (w > (width ?? 0) || h > (height ?? 0))
                    {
                        (width, height) = turned ? (h, w) : (w, h);
                    }
                }
            }
        }

        return new MediaShape(width, height, duration);
    }

    /// <summary>(type, payload start, box end) of the boxes between <paramref name="from"/> and <paramref name="to"/>.</summary>
    private static IEnumerable<(string Type, int At, int End)> Boxes(byte[] data, int from, int to)
    {
        for (var at = from; at + 8 <= to;)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            if (size < 8 || at + size > to)
            {
                yield break;
            }

            yield return (Encoding.ASCII.GetString(data, at + 4, 4), at + 8, at + size);
            at += size;
        }
    }
}
