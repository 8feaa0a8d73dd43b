using System.Text.Json;

namespace Orbyt.Sandbox.Meta;

/// <summary>Graph parameters from the query string, a form (urlencoded or multipart) or a JSON body, as Meta accepts all three.</summary>
internal sealed class GraphRequest
{
    private readonly Dictionary<string, string> _params = new(StringComparer.Ordinal);

    public required HttpContext Context { get; init; }
    public IFormFileCollection? Files { get; private set; }

    public string? this[string name] => _params.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string> Params => _params;

    public static async Task<GraphRequest> ReadAsync(HttpContext context)
    {
        var request = new GraphRequest { Context = context };
        foreach (var (key, value) in context.Request.Query)
        {
            request._params[key] = value.ToString();
        }

        var contentType = context.Request.ContentType ?? "";
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var (key, value) in form)
            {
                request._params[key] = value.ToString();
            }

            request.Files = form.Files;
        }
        else if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            using var json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in json.RootElement.EnumerateObject())
                {
                    request._params[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()!
                        : property.Value.GetRawText();
                }
            }
        }

        return request;
    }

    /// <summary>The token from access_token or an Authorization header (Bearer, or OAuth as rupload requires).</summary>
    public string? AccessToken
    {
        get
        {
            if (this["access_token"] is { Length: > 0 } token)
            {
                return token;
            }

            var header = Context.Request.Headers.Authorization.ToString();
            foreach (var scheme in new[] { "Bearer ", "OAuth " })
            {
                if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                {
                    return header[scheme.Length..].Trim();
                }
            }

            return null;
        }
    }

    /// <summary>The requested fields (top level; "a{b,c}" yields "a" with sub-fields "b,c").</summary>
    public Dictionary<string, string?> Fields(params string[] defaults)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        var raw = this["fields"];
        if (string.IsNullOrWhiteSpace(raw))
        {
            foreach (var field in defaults)
            {
                result[field] = null;
            }

            return result;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i <= raw.Length; i++)
        {
            if (i < raw.Length && raw[i] == '{')
            {
                depth++;
            }
            else if (i < raw.Length && raw[i] == '}')
            {
                depth--;
            }
            else if (i == raw.Length || (raw[i] == ',' && depth == 0))
            {
                var part = raw[start..i].Trim();
                start = i + 1;
                if (part.Length == 0)
                {
                    continue;
                }

                var brace = part.IndexOf('{', StringComparison.Ordinal);
                if (brace < 0)
                {
                    result[part] = null;
                }
                else
                {
                    result[part[..brace]] = part[(brace + 1)..].TrimEnd('}');
                }
            }
        }

        return result;
    }

    public bool Flag(string name, bool fallback) => this[name] is { } value ? value is "true" or "1" or "True" : fallback;
}
