using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Diagnostics;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Problems;

/// <summary>An RFC 9457 problem document with Orbyt's extension members; every API error has this shape.</summary>
public sealed record ProblemDocument
{
    /// <summary>A URI reference identifying the error; resolves to the catalog entry (<c>/v1/errors/{code}</c>).</summary>
    public required string Type { get; init; }
    public required string Title { get; init; }
    public required int Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
    /// <summary>Stable snake_case error code from the catalog.</summary>
    public required string Code { get; init; }
    public required bool Retryable { get; init; }
    public required bool ReauthRequired { get; init; }
    public string? TraceId { get; init; }
    /// <summary>Validation errors by field (snake_case paths).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string[]>? Errors { get; init; }
}

/// <summary>Thrown anywhere in request handling to answer with a catalog problem.</summary>
public sealed class ApiProblemException(ErrorDefinition error, string? detail = null, Dictionary<string, string[]>? errors = null)
    : Exception(detail ?? error.Title)
{
    public ErrorDefinition Error { get; } = error;
    public string? Detail { get; } = detail;
    public Dictionary<string, string[]>? Errors { get; } = errors;
}

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

/// <summary>Maps exceptions to problems: catalog problems as thrown, bad requests as 400, anything else as 500 without internals.</summary>
public sealed partial class UnhandledExceptionHandler(ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ApiProblemException problem:
                await ProblemResults.WriteAsync(http, problem.Error, problem.Detail, problem.Errors);
                break;
            case BadHttpRequestException or JsonException:
                await ProblemResults.WriteAsync(http, ErrorCatalog.MalformedRequest);
                break;
            case OperationCanceledException when http.RequestAborted.IsCancellationRequested:
                break;
            // PostgreSQL unreachable or failing over (EF's retries spent, or a direct command): nothing was committed
            // that the caller cannot safely retry (with its Idempotency-Key), so say so instead of a 500.
            case Npgsql.NpgsqlException { IsTransient: true } or Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException or TimeoutException:
                LogUnavailable(logger, exception.GetType().Name);
                http.Response.Headers.RetryAfter = "2";
                await ProblemResults.WriteAsync(http, ErrorCatalog.ServiceUnavailable);
                break;
            default:
                LogUnhandled(logger, exception);
                await ProblemResults.WriteAsync(http, ErrorCatalog.InternalError);
                break;
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dependency is unavailable ({ErrorType}); answered 503.")]
    private static partial void LogUnavailable(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while processing the request.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
