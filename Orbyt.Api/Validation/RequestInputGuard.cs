using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Orbyt.Api.Problems;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Validation;

/// <summary>
/// The checks every endpoint's input needs, in one place so that new endpoints and new fields are covered without
/// doing anything: a body is JSON sent as <c>application/json</c> (the only request media type the document names;
/// anything else is 415), and no text input (query or route value, or a string anywhere in the JSON body, property
/// names included) contains U+0000, which PostgreSQL cannot store in text (400 validation_failed naming the field).
/// Runs after authentication, so a caller without a key learns nothing about the input's shape.
/// </summary>
public sealed class RequestInputGuard(RequestDelegate next)
{
    private const string NulMessage = "The value contains the NUL character (U+0000), which is not allowed in text.";

    public async Task InvokeAsync(HttpContext http)
    {
        // Unknown routes and methods are answered by routing (404/405); only endpoints' inputs are checked here.
        if (http.GetEndpoint() is null)
        {
            await next(http);
            return;
        }

        var request = http.Request;
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, values) in request.Query)
            if (name.Contains('\0', StringComparison.Ordinal) || values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
                errors[Printable(name)] = [NulMessage];
        foreach (var (name, value) in request.RouteValues)
            if (value is string text && text.Contains('\0', StringComparison.Ordinal))
                errors[name] = [NulMessage];

        if (HasBody(http))
        {
            if (!IsJson(request.ContentType))
            {
                await ProblemResults.WriteAsync(http, ErrorCatalog.UnsupportedMediaType,
                    request.ContentType is null
                        ? "The request has a body but no Content-Type; send it as application/json."
                        : $"Content-Type {request.ContentType} is not accepted; send the body as application/json.");
                return;
            }
            foreach (var field in await NulFieldsInBodyAsync(request, http.RequestAborted))
                errors[field] = [NulMessage];
        }

        if (errors.Count > 0)
        {
            await ProblemResults.WriteAsync(http, ErrorCatalog.ValidationFailed, "One or more fields are invalid.", errors);
            return;
        }
        await next(http);
    }

    private static bool HasBody(HttpContext http) =>
        http.Request.ContentLength > 0
        || (http.Request.ContentLength is null && http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    /// <summary>application/json, optionally with charset=utf-8 (JSON is UTF-8, RFC 8259 §8.1).</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        && media.Parameters.All(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The JSON paths (as sent: <c>targets[0].caption</c>) of strings and property names holding U+0000. JSON can only
    /// carry it escaped, so bodies without <c>\u0000</c> are not walked. A body that is not valid JSON is left to the
    /// endpoint's binding, which answers malformed_request.
    /// </summary>
    private static async Task<IReadOnlyList<string>> NulFieldsInBodyAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        request.Body.Position = 0;
        var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (json.Span.IndexOf(@"\u0000"u8) < 0) return [];
        try
        {
            return FindNulFields(json.Span);
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static IReadOnlyList<string> FindNulFields(ReadOnlySpan<byte> json)
    {
        var found = new List<string>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        // One frame per open container: the property being read in an object, the next index in an array.
        var path = new List<(bool IsArray, string Property, int Index)>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    path[^1] = (false, name, 0);
                    if (name.Contains('\0', StringComparison.Ordinal)) found.Add(PathOf(path));
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    Element(path);
                    path.Add((reader.TokenType == JsonTokenType.StartArray, "", -1));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    break;
                case JsonTokenType.String:
                    Element(path);
                    if (reader.GetString()!.Contains('\0', StringComparison.Ordinal)) found.Add(PathOf(path));
                    break;
                default:
                    Element(path);
                    break;
            }
        }
        return found.Distinct().ToArray();
    }

    /// <summary>A value starts: inside an array it is the next element.</summary>
    private static void Element(List<(bool IsArray, string Property, int Index)> path)
    {
        if (path.Count > 0 && path[^1].IsArray) path[^1] = (true, "", path[^1].Index + 1);
    }

    private static string PathOf(List<(bool IsArray, string Property, int Index)> path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (isArray, property, index) in path)
        {
            if (isArray) text.Append('[').Append(index).Append(']');
            else
            {
                if (text.Length > 0) text.Append('.');
                text.Append(Printable(property));
            }
        }
        return text.Length == 0 ? "body" : text.ToString();
    }

    private static string Printable(string name) => name.Replace("\0", "\\u0000", StringComparison.Ordinal);
}
