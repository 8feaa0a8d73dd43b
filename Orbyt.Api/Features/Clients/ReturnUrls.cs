namespace Orbyt.Api.Features.Clients;

/// <summary>Rules for the return-URL allow-list (no open redirects).</summary>
public static class ReturnUrls
{
    public static bool IsValidPrefix(string? prefix) =>
        Uri.TryCreate(prefix, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
        && uri.AbsolutePath.EndsWith('/')
        && string.IsNullOrEmpty(uri.UserInfo);
}
