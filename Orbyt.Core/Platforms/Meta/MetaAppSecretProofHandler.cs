using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Orbyt.Core.Platforms.Meta;

/// <summary>
/// Adds <c>appsecret_proof</c> (lowercase hex HMAC-SHA256 of the access token, keyed with the app secret) to every
/// Graph call that carries a token, wherever the token travels: the query, an <c>Authorization: OAuth|Bearer</c>
/// header, a urlencoded form or a multipart form field. The proof goes into the query, which Graph merges with the
/// body. With "Require App Secret" on — what an app serving agencies should run with — Meta refuses every call
/// without it, so it sits on the wire side of each Meta client instead of in each call site, where one could be
/// forgotten. Only Graph hosts get it: whether rupload.facebook.com checks it is not documented.
/// </summary>
public sealed class MetaAppSecretProofHandler(IOptions<MetaOptions> options) : DelegatingHandler
{
    private const string ProofParameter = "appsecret_proof";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var meta = options.Value;
        if (request.RequestUri is { } uri && IsGraph(uri, meta) && !HasParameter(uri.Query, ProofParameter)
            && await FindTokenAsync(request, cancellationToken) is { Length: > 0 } token && meta.AppSecret.Length > 0)
        {
            var separator = uri.Query.Length > 1 ? "&" : uri.Query.Length == 1 ? "" : "?";
            request.RequestUri = new Uri(uri.GetLeftPart(UriPartial.Query) + separator + ProofParameter + "=" + Compute(meta.AppSecret, token));
        }
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>The proof for one token: lowercase hex HMAC-SHA256(key = app secret, message = the token sent).</summary>
    public static string Compute(string appSecret, string accessToken) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(accessToken)));

    private static bool IsGraph(Uri uri, MetaOptions meta) =>
        uri.AbsoluteUri.StartsWith(meta.GraphBaseUrl.AbsoluteUri, StringComparison.OrdinalIgnoreCase)
        || uri.AbsoluteUri.StartsWith(meta.GraphVideoBaseUrl.AbsoluteUri, StringComparison.OrdinalIgnoreCase);

    private static async Task<string?> FindTokenAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (Parameter(request.RequestUri!.Query, "access_token") is { } query)
            return query;
        if (request.Headers.Authorization is { Scheme: var scheme, Parameter: { Length: > 0 } header }
            && (scheme.Equals("OAuth", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)))
            return header;
        return request.Content switch
        {
            FormUrlEncodedContent form => Parameter(await form.ReadAsStringAsync(ct), "access_token"),
            MultipartFormDataContent multipart => await FromMultipartAsync(multipart, ct),
            _ => null,
        };
    }

    private static async Task<string?> FromMultipartAsync(MultipartFormDataContent multipart, CancellationToken ct)
    {
        foreach (var part in multipart)
        {
            if (part is StringContent && Unquote(part.Headers.ContentDisposition) == "access_token")
                return await part.ReadAsStringAsync(ct);
        }
        return null;
    }

    private static string? Unquote(ContentDispositionHeaderValue? disposition) => disposition?.Name?.Trim('"');

    private static bool HasParameter(string query, string name) => Parameter(query, name) is not null;

    /// <summary>One parameter of a query string or urlencoded body (leading '?' allowed), unescaped.</summary>
    private static string? Parameter(string encoded, string name)
    {
        foreach (var pair in encoded.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            if (key == name)
                return equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
        }
        return null;
    }
}
