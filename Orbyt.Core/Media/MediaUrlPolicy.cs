using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orbyt.Core.Errors;
using Orbyt.Core.Security;

namespace Orbyt.Core.Media;

/// <summary>
/// Decides whether a media URL may be fetched (by us or by a platform on our behalf): https, an allowed host,
/// and never an internal address (SSRF). Development origins are the one exception, and only in Development.
/// </summary>
public sealed class MediaUrlPolicy(IOptions<MediaOptions> options, IHostEnvironment environment)
{
    private readonly OutboundUrlGuard _guard = new();

    public bool IsDevelopmentOrigin(Uri uri) =>
        environment.IsDevelopment()
        && options.Value.DevelopmentOrigins.Any(o => Uri.TryCreate(o, UriKind.Absolute, out var origin)
            && origin.Scheme == uri.Scheme && string.Equals(origin.Host, uri.Host, StringComparison.OrdinalIgnoreCase) && origin.Port == uri.Port);

    /// <summary>Null when the URL may be used; otherwise the catalog error and why.</summary>
    public async Task<(ErrorDefinition Error, string Detail)?> CheckAsync(string? url, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 4096 || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(uri.UserInfo))
            return (ErrorCatalog.MediaUrlInvalid, "media.url must be an absolute https URL without credentials.");
        if (IsDevelopmentOrigin(uri))
            return null;
        if (uri.Scheme != Uri.UriSchemeHttps)
            return (ErrorCatalog.MediaUrlInvalid, "media.url must use https.");
        if (!options.Value.AllowedHosts.Any(pattern => HostMatches(pattern, uri.Host)))
            return (ErrorCatalog.MediaHostNotAllowed, $"Media must come from an allowed host ({string.Join(", ", options.Value.AllowedHosts)}).");
        var check = await _guard.CheckAsync(url, ct);
        return check.Verdict switch
        {
            OutboundUrlVerdict.Allowed => null,
            OutboundUrlVerdict.Forbidden => (ErrorCatalog.MediaAddressForbidden, "The media host resolves to an internal address."),
            OutboundUrlVerdict.Unresolvable => (ErrorCatalog.MediaFetchFailed, "The media host does not resolve."),
            _ => (ErrorCatalog.MediaUrlInvalid, check.Reason ?? "media.url is not valid."),
        };
    }

    /// <summary>
    /// <c>host</c> is <paramref name="pattern"/>, or the pattern is <c>*.domain</c> and the host is exactly one label
    /// in front of that domain. Case-insensitive; a trailing dot is ignored.
    /// </summary>
    public static bool HostMatches(string pattern, string host)
    {
        pattern = pattern.Trim().TrimEnd('.');
        host = host.TrimEnd('.');
        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
            return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        var domain = pattern[1..];
        return host.Length > domain.Length
            && host.EndsWith(domain, StringComparison.OrdinalIgnoreCase)
            && host.IndexOf('.') == host.Length - domain.Length;
    }

    /// <summary>An HttpClient handler for fetching media ourselves: re-checks the connected address (DNS rebinding).</summary>
    public SocketsHttpHandler CreateHandler() =>
        new OutboundUrlGuard(environment.IsDevelopment()
            ? options.Value.DevelopmentOrigins.Select(o => Uri.TryCreate(o, UriKind.Absolute, out var u) ? u.Host : o)
            : null).CreateHandler(TimeSpan.FromSeconds(10));
}
