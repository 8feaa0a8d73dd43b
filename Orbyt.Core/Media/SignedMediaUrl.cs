using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Orbyt.Core.Media;

/// <summary>
/// The parts of a signed media URL that matter to us: when its token expires, and which part of it is secret.
/// A Mux signed playback URL carries <c>?token={JWT}</c> whose <c>exp</c> claim is the expiry (§16.3); reading it
/// needs no key, and nothing here verifies it — the media host does.
/// </summary>
public static class SignedMediaUrl
{
    /// <summary>The <c>exp</c> of a JWT in the <c>token</c> query parameter, or null when there is none or it cannot be read.</summary>
    public static DateTimeOffset? Expiry(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Query.Length < 2)
            return null;
        if (!QueryHelpers.ParseQuery(uri.Query).TryGetValue("token", out var token) || token.Count != 1)
            return null;
        var parts = token.ToString().Split('.');
        if (parts.Length != 3)
            return null;
        try
        {
            using var claims = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[1]));
            return claims.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// The URL as it may be shown and stored in plain text: every query value replaced by <c>redacted</c> (a signed URL's
    /// token, signature or key may sit in any parameter). The same URL when it has no query.
    /// </summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Query.Length < 2)
            return url;
        var names = uri.Query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')[0]);
        return uri.GetLeftPart(UriPartial.Path) + "?" + string.Join("&", names.Select(n => n + "=redacted"));
    }

    /// <summary>Whether the URL has a query, i.e. something <see cref="Redact"/> hides.</summary>
    public static bool HasSecret(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Query.Length > 1;
}
