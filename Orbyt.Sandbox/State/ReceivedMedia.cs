using System.Security.Cryptography;

namespace Orbyt.Sandbox.State;

/// <summary>A running SHA-256 over bytes received in order; only the offset and the hash state are kept.</summary>
public sealed class ReceivedMedia : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _sha256;

    public long Received { get; private set; }

    /// <summary>What Meta would see in the bytes (size, duration), for its spec checks.</summary>
    public Media.MediaInspector Inspector { get; } = new();

    public string Sha256 => _sha256 ??= Convert.ToHexStringLower(_hash.GetHashAndReset());

    public bool Finished => _sha256 is not null;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_sha256 is not null)
        {
            throw new InvalidOperationException("The media is already complete.");
        }

        _hash.AppendData(bytes);
        Inspector.Append(bytes);
        Received += bytes.Length;
    }

    public void Dispose() => _hash.Dispose();
}
