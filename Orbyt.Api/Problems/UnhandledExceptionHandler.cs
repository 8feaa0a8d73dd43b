using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Orbyt.Api.Database;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Problems;

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
            // Kestrel's limits met while the body is read (413 over MaxRequestBodySize, 408 too slow) keep their status.
            case BadHttpRequestException bad:
                await ProblemResults.WriteAsync(http, ProblemResults.ForBodilessStatus(bad.StatusCode) is { Status: < 500 } known ? known : ErrorCatalog.MalformedRequest);
                break;
            case JsonException:
                await ProblemResults.WriteAsync(http, ErrorCatalog.MalformedRequest);
                break;
            case OperationCanceledException when http.RequestAborted.IsCancellationRequested:
                break;
            // PostgreSQL unreachable or failing over (the circuit is open, EF's retries are spent, or a direct command
            // failed): nothing was committed that the caller cannot safely retry (with its Idempotency-Key), so say so
            // instead of a 500.
            case var _ when IsUnavailable(exception):
                LogUnavailable(logger, exception.GetType().Name);
                http.Response.Headers.RetryAfter = ((int)DatabaseCircuit.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ProblemResults.WriteAsync(http, ErrorCatalog.ServiceUnavailable);
                break;
            default:
                LogUnhandled(logger, exception);
                await ProblemResults.WriteAsync(http, ErrorCatalog.InternalError);
                break;
        }
        return true;
    }

    /// <summary>A dependency that is away or timed out, also when EF wrapped it (a failed save).</summary>
    private static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DatabaseUnavailableException or Npgsql.NpgsqlException { IsTransient: true }
                or Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException or TimeoutException)
                return true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dependency is unavailable ({ErrorType}); answered 503.")]
    private static partial void LogUnavailable(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while processing the request.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
