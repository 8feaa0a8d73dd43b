using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation.Results;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Problems;

public static partial class ProblemResults
{
    public const string ContentType = "application/problem+json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ProblemDocument Create(HttpContext http, ErrorDefinition error, string? detail = null, Dictionary<string, string[]>? errors = null) =>
        Create(error, http.Request.Path, Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier, detail, errors);

    public static ProblemDocument Create(ErrorDefinition error, string? instance, string traceId, string? detail = null, Dictionary<string, string[]>? errors = null) => new()
    {
        Type = $"/v1/errors/{error.Code}",
        Title = error.Title,
        Status = error.Status,
        Detail = detail ?? error.Description,
        Instance = instance,
        Code = error.Code,
        Retryable = error.Retryable,
        ReauthRequired = error.ReauthRequired,
        TraceId = traceId,
        Errors = errors,
    };

    public static byte[] Serialize(ProblemDocument problem) => JsonSerializer.SerializeToUtf8Bytes(problem, Json);

    public static async Task WriteAsync(HttpContext http, ErrorDefinition error, string? detail = null, Dictionary<string, string[]>? errors = null)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(http.Response.Body, Create(http, error, detail, errors), Json, http.RequestAborted);
    }

    private const string MalformedBodyErrorCode = "malformed_body";
    private const string ContractErrorCode = "contract";

    /// <summary>
    /// A body that cannot be deserialized. A property the schema does not have (every request schema is
    /// additionalProperties: false) or a required property left out is a validation failure naming the property; anything
    /// else is marked so the response is malformed_request.
    /// </summary>
    public static ValidationFailure FromJsonException(JsonException exception)
    {
        var path = exception.Path is { Length: > 1 } p ? p.TrimStart('$').TrimStart('.') : "";
        var message = exception.Message;
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
        {
            // System.Text.Json reports the object holding the property, or the property itself, depending on where it stopped.
            var name = unmapped.Groups["name"].Value;
            var field = path.EndsWith(name, StringComparison.Ordinal) && name.Length > 0 ? path : Join(path, name);
            return new ValidationFailure(field, "This property is not part of the request schema (additionalProperties: false).")
            {
                ErrorCode = ContractErrorCode,
            };
        }
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = Quoted().Matches(missing.Groups["names"].Value).Select(m => Join(path, m.Groups[1].Value));
            return new ValidationFailure(string.Join(',', names), "This property is required.") { ErrorCode = ContractErrorCode };
        }
        return new(path.Length > 0 ? path : "body", "The value is not valid JSON for this field.") { ErrorCode = MalformedBodyErrorCode };
    }

    private static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    [System.Text.RegularExpressions.GeneratedRegex("^The JSON property '(?<name>.*)' could not be mapped to any .NET member", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex UnmappedProperty();

    [System.Text.RegularExpressions.GeneratedRegex("^JSON deserialization for type '[^']*' was missing required properties,? including: (?<names>'[^.]*')", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex MissingRequired();

    [System.Text.RegularExpressions.GeneratedRegex("'([^']*)'")]
    private static partial System.Text.RegularExpressions.Regex Quoted();

    /// <summary>FastEndpoints' hook for validation and binding failures.</summary>
    public static object FromValidationFailures(List<ValidationFailure> failures, HttpContext http, int statusCode)
    {
        // Contract failures name the property as it was sent (it may not be a C# name); the others are C# paths.
        var errors = failures
            .SelectMany(f => f.ErrorCode == ContractErrorCode
                ? f.PropertyName.Split(',').Select(name => (Field: name, f.ErrorMessage))
                : [(Field: ToSnakePath(f.PropertyName), f.ErrorMessage)])
            .GroupBy(f => f.Field)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        var malformed = failures.Any(f => f.ErrorCode == MalformedBodyErrorCode);
        // A rule that names a catalog code of its own (WithErrorCode) answers with it when it is the only kind of failure.
        var own = failures.Select(f => ErrorCatalog.TryGet(f.ErrorCode ?? "", out var d) ? d : null).Distinct().ToArray();
        var specific = !malformed && own is [{ } single] ? single : null;
        var error = malformed ? ErrorCatalog.MalformedRequest : specific ?? ErrorCatalog.ValidationFailed;
        http.Response.StatusCode = error.Status;
        return Create(http, error, malformed ? "The request body is not valid JSON for this endpoint."
            : specific is not null ? failures[0].ErrorMessage : "One or more fields are invalid.", errors);
    }

    /// <summary>Bodiless 4xx answers (unknown route, wrong method, unsupported content type) become problems too.</summary>
    public static Task WriteStatusCodePageAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext context)
    {
        var http = context.HttpContext;
        var error = ForBodilessStatus(http.Response.StatusCode);
        return error is null ? Task.CompletedTask : WriteAsync(http, error);
    }

    /// <summary>
    /// The catalog entry for an error status that arrives without a body (from routing, the server or the authentication
    /// middleware), or null for statuses the API never answers without its own problem.
    /// </summary>
    public static ErrorDefinition? ForBodilessStatus(int status) => status switch
    {
        400 => ErrorCatalog.MalformedRequest,
        401 => ErrorCatalog.ApiKeyMissing,
        403 => ErrorCatalog.Forbidden,
        404 => ErrorCatalog.RouteNotFound,
        405 => ErrorCatalog.MethodNotAllowed,
        408 => ErrorCatalog.RequestTimeout,
        411 => ErrorCatalog.LengthRequired,
        413 => ErrorCatalog.RequestTooLarge,
        414 => ErrorCatalog.UriTooLong,
        415 => ErrorCatalog.UnsupportedMediaType,
        431 => ErrorCatalog.RequestHeadersTooLarge,
        500 => ErrorCatalog.InternalError,
        501 => ErrorCatalog.NotImplemented,
        503 => ErrorCatalog.ServiceUnavailable,
        _ => null,
    };

    private static string ToSnakePath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part => JsonNamingPolicy.SnakeCaseLower.ConvertName(part)));
}
