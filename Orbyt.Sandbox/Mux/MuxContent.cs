namespace Orbyt.Sandbox.Mux;

/// <summary>
/// Deterministic MP4-looking content of any size: a real ISO-BMFF "ftyp" box, then a "free" box header, then filler
/// from a counter-based generator, so any byte range can be produced without storing the file.
/// </summary>
public static class MuxContent
{
    private static readonly byte[] Header =
    [
        0x00, 0x00, 0x00, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m',
        0x00, 0x00, 0x02, 0x00, (byte)'i', (byte)'s', (byte)'o', (byte)'m', (byte)'i', (byte)'s', (byte)'o', (byte)'2',
        (byte)'a', (byte)'v', (byte)'c', (byte)'1', (byte)'m', (byte)'p', (byte)'4', (byte)'1',
        0x00, 0x00, 0x00, 0x00, (byte)'f', (byte)'r', (byte)'e', (byte)'e',
    ];

    /// <summary>Fills <paramref name="destination"/> with the bytes at <paramref name="offset"/> of a file of <paramref name="size"/> bytes.</summary>
    public static void Fill(int seed, long size, long offset, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = ByteAt(seed, size, offset + i);
        }
    }

    public static byte ByteAt(int seed, long size, long position)
    {
        if (position < Header.Length)
        {
            // The "free" box size field covers the rest of the file.
            if (position is >= 32 and < 36)
            {
                var freeSize = (uint)Math.Min(uint.MaxValue, Math.Max(8, size - 32));
                return (byte)(freeSize >> (8 * (int)(35 - position)));
            }

            return Header[position];
        }

        var block = (ulong)(position >> 3) ^ ((ulong)(uint)seed << 32);
        var mixed = SplitMix64(block);
        return (byte)(mixed >> (8 * (int)(position & 7)));
    }

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>SHA-256 of the whole file, streamed.</summary>
    public static string Sha256(int seed, long size)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[65536];
        for (long offset = 0; offset < size; offset += buffer.Length)
        {
            var count = (int)Math.Min(buffer.Length, size - offset);
            Fill(seed, size, offset, buffer.AsSpan(0, count));
            hash.AppendData(buffer, 0, count);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
