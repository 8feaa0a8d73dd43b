using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation.Results;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Problems;

public static class ProblemResults
{
    public const string ContentType = "application/problem+json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ProblemDocument Create(HttpContext http, ErrorDefinition error, string? detail = null, Dictionary<string, string[]>? errors = null) => new()
    {
        Type = $"/v1/errors/{error.Code}",
        Title = error.Title,
        Status = error.Status,
        Detail = detail ?? error.Description,
        Instance = http.Request.Path,
        Code = error.Code,
        Retryable = error.Retryable,
        ReauthRequired = error.ReauthRequired,
        TraceId = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
        Errors = errors,
    };

    public static async Task WriteAsync(HttpContext http, ErrorDefinition error, string? detail = null, Dictionary<string, string[]>? errors = null)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(http.Response.Body, Create(http, error, detail, errors), Json, http.RequestAborted);
    }

    private const string MalformedBodyErrorCode = "malformed_body";

    /// <summary>A body that cannot be deserialized; the failure is marked so the response is malformed_request.</summary>
    public static ValidationFailure FromJsonException(JsonException exception) =>
        new(exception.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body", "The value is not valid JSON for this field.")
        {
            ErrorCode = MalformedBodyErrorCode,
        };

    /// <summary>FastEndpoints' hook for validation and binding failures.</summary>
    public static object FromValidationFailures(List<ValidationFailure> failures, HttpContext http, int statusCode)
    {
        var errors = failures
            .GroupBy(f => ToSnakePath(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        var malformed = failures.Any(f => f.ErrorCode == MalformedBodyErrorCode);
        var error = malformed ? ErrorCatalog.MalformedRequest : ErrorCatalog.ValidationFailed;
        http.Response.StatusCode = error.Status;
        return Create(http, error, malformed ? "The request body is not valid JSON for this endpoint." : "One or more fields are invalid.", errors);
    }

    /// <summary>Bodiless 4xx answers (unknown route, wrong method, unsupported content type) become problems too.</summary>
    public static Task WriteStatusCodePageAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext context)
    {
        var http = context.HttpContext;
        var error = http.Response.StatusCode switch
        {
            404 => ErrorCatalog.RouteNotFound,
            405 => ErrorCatalog.MethodNotAllowed,
            415 => ErrorCatalog.UnsupportedMediaType,
            401 => ErrorCatalog.ApiKeyMissing,
            403 => ErrorCatalog.Forbidden,
            _ => null,
        };
        return error is null ? Task.CompletedTask : WriteAsync(http, error);
    }

    private static string ToSnakePath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part => JsonNamingPolicy.SnakeCaseLower.ConvertName(part)));
}
