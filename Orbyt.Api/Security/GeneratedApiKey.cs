namespace Orbyt.Api.Security;

/// <summary>A freshly generated API key. <see cref="Plaintext"/> is shown once and never stored.</summary>
public sealed record GeneratedApiKey(string KeyId, string Plaintext, byte[] SecretHash);
