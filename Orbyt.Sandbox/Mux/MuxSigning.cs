using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Orbyt.Sandbox.Mux;

/// <summary>
/// The sandbox's Mux signing key and playback tokens: RS256 JWTs with <c>kid</c> = the key id and claims <c>sub</c>
/// (playback id), <c>aud</c> (v, t, g, s) and <c>exp</c> (§16.3). A token is checked as Mux does — signature, key,
/// playback id, audience, expiry on the sandbox clock — and any failure is a 403.
/// </summary>
public sealed class MuxSigning : IDisposable
{
    public const string KeyId = "sandboxsigningkey000001";
    private readonly RSA _key = RSA.Create(2048);

    public string Sign(string sub, string aud, long exp)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = KeyId }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new { sub, aud, exp }));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Encode(signature)}";
    }

    /// <summary>Null when <paramref name="token"/> grants <paramref name="aud"/> on <paramref name="playbackId"/> now; otherwise why not.</summary>
    public string? Refusal(string? token, string playbackId, string aud, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token))
            return "missing token";
        var parts = token.Split('.');
        if (parts.Length != 3)
            return "malformed token";
        try
        {
            using var header = JsonDocument.Parse(Decode(parts[0]));
            if (header.RootElement.GetProperty("alg").GetString() != "RS256" || header.RootElement.GetProperty("kid").GetString() != KeyId)
                return "unknown signing key";
            if (!_key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                return "bad signature";
            using var payload = JsonDocument.Parse(Decode(parts[1]));
            var claims = payload.RootElement;
            if (claims.GetProperty("sub").GetString() != playbackId)
                return "token for another playback id";
            if (claims.GetProperty("aud").GetString() != aud)
                return "token for another audience";
            if (claims.GetProperty("exp").GetInt64() <= now.ToUnixTimeSeconds())
                return "expired token";
            return null;
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "malformed token";
        }
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    public void Dispose() => _key.Dispose();
}
