using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Orbyt.Core.Vault;

/// <summary>
/// AES-256-GCM with a versioned key ring. Layout: <c>[1: format=1][1: key id length][key id][12: nonce][16: tag][ciphertext]</c>.
/// The associated data is the purpose and the key id, so ciphertexts cannot be swapped between purposes.
/// Rotation without downtime: add a key, make it active; old ciphertexts still open with their key id and are
/// re-protected with the active key whenever they are next written.
/// </summary>
public sealed class AesGcmTokenVault : ITokenVault
{
    private const byte Format = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] KdfInfo = "orbyt-token-vault-v1"u8.ToArray();

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;

    public AesGcmTokenVault(IOptions<TokenVaultOptions> options)
    {
        var value = options.Value;
        _keys = value.Keys.ToDictionary(k => k.Key, k => HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(k.Value), 32, info: KdfInfo));
        _activeKeyId = value.ActiveKeyId ?? value.Keys.Keys.Single();
    }

    public byte[] Protect(string plaintext, string purpose)
    {
        var keyId = Encoding.ASCII.GetBytes(_activeKeyId);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[2 + keyId.Length + NonceSize + TagSize + data.Length];
        output[0] = Format;
        output[1] = (byte)keyId.Length;
        keyId.CopyTo(output, 2);
        var offset = 2 + keyId.Length;
        var nonce = output.AsSpan(offset, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_activeKeyId], TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(offset + NonceSize + TagSize), output.AsSpan(offset + NonceSize, TagSize), AssociatedData(purpose, _activeKeyId));
        CryptographicOperations.ZeroMemory(data);
        return output;
    }

    public string Unprotect(byte[] ciphertext, string purpose)
    {
        if (ciphertext.Length < 2 || ciphertext[0] != Format)
            throw new CryptographicException("Unknown token vault format.");
        var keyIdLength = ciphertext[1];
        var headerLength = 2 + keyIdLength + NonceSize + TagSize;
        if (ciphertext.Length < headerLength)
            throw new CryptographicException("Truncated token vault ciphertext.");
        var keyId = Encoding.ASCII.GetString(ciphertext, 2, keyIdLength);
        if (!_keys.TryGetValue(keyId, out var key))
            throw new CryptographicException($"The token vault has no key '{keyId}'.");
        var offset = 2 + keyIdLength;
        var plaintext = new byte[ciphertext.Length - headerLength];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(ciphertext.AsSpan(offset, NonceSize), ciphertext.AsSpan(headerLength), ciphertext.AsSpan(offset + NonceSize, TagSize), plaintext, AssociatedData(purpose, keyId));
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>The key id a ciphertext was made with (for re-encryption after rotation).</summary>
    public static string KeyIdOf(byte[] ciphertext) => Encoding.ASCII.GetString(ciphertext, 2, ciphertext[1]);

    private static byte[] AssociatedData(string purpose, string keyId)
    {
        var buffer = new byte[4 + Encoding.UTF8.GetByteCount(purpose) + keyId.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, Encoding.UTF8.GetByteCount(purpose));
        Encoding.UTF8.GetBytes(purpose, buffer.AsSpan(4));
        Encoding.ASCII.GetBytes(keyId, buffer.AsSpan(4 + Encoding.UTF8.GetByteCount(purpose)));
        return buffer;
    }
}
