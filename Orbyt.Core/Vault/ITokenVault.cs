namespace Orbyt.Core.Vault;

/// <summary>
/// Authenticated encryption of secrets at rest (platform tokens, PKCE verifiers, webhook secrets).
/// The purpose is bound into the ciphertext: a value protected for one purpose cannot be unprotected for another.
/// </summary>
public interface ITokenVault
{
    byte[] Protect(string plaintext, string purpose);

    string Unprotect(byte[] ciphertext, string purpose);
}
