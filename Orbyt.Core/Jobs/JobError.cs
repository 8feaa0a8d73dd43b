using System.Text.Json;
using System.Text.Json.Serialization;
using Orbyt.Core.Errors;
using Orbyt.Core.Platforms;

namespace Orbyt.Core.Jobs;

/// <summary>job.error as the API returns it: a catalog entry, its flags, and the raw platform error.</summary>
public sealed partial record JobError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("retryable")] bool Retryable,
    [property: JsonPropertyName("reauth_required")] bool ReauthRequired,
    [property: JsonPropertyName("platform")] PlatformErrorDetail? Platform)
{
    public static JobError From(ErrorDefinition error, PlatformErrorDetail? platform = null, string? message = null, bool? retryable = null) =>
        new(error.Code, message ?? error.UserMessage, retryable ?? error.Retryable, error.ReauthRequired, platform);

    public JsonDocument ToJson() => JsonSerializer.SerializeToDocument(this);

    public static JobError? Read(JsonDocument? json) => json?.Deserialize<JobError>();

    public static PlatformErrorDetail? Describe(Exception exception) => exception switch
    {
        MetaApiException m => new(m.Code.ToString(), m.Subcode?.ToString(), RedactQueries(m.Message), m.FbtraceId),
        YouTubeApiException g => new(((int)g.Status).ToString(), g.Reason, RedactQueries(g.Message), null),
        GoogleOAuthException o => new(((int)o.Status).ToString(), o.Error, RedactQueries(o.Description), null),
        _ => null,
    };

    /// <summary>
    /// Platform messages can quote the media URL (Meta's "could not be fetched from this uri: …"); a signed Mux URL's
    /// query string is a secret, so job errors, API responses and webhook payloads keep only the URL's path.
    /// </summary>
    public static string? RedactQueries(string? message) =>
        message is null ? null : UrlQuery().Replace(message, "$1?…");

    [System.Text.RegularExpressions.GeneratedRegex(@"(https?://[^\s?#""']+)\?[^\s""']*")]
    private static partial System.Text.RegularExpressions.Regex UrlQuery();
}
