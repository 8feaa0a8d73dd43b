using Orbyt.Sandbox.Meta;
using Orbyt.Sandbox.State;
using Orbyt.Sandbox.YouTube;

namespace Orbyt.Sandbox.Http;

/// <summary>
/// Applies scripted rate limits, transient errors and connection cuts before a platform route runs, and records
/// every platform call in the call log.
/// </summary>
internal sealed class FaultMiddleware(RequestDelegate next, SandboxState state, ILogger<FaultMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var platform = SandboxHttp.PlatformOf(path);
        if (platform is null)
        {
            await next(context);
            return;
        }

        var method = context.Request.Method;
        var userAgent = context.Request.Headers.UserAgent.ToString();
        var contentType = context.Request.ContentType;
        var started = state.Clock.GetUtcNow();
        // The platforms' Date header tells clients their time; here it is the sandbox clock, so a client that
        // computes a platform window (YouTube's Pacific midnight) from it follows /_sandbox/clock/advance.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.Date = state.Clock.GetUtcNow().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        try
        {
            var scripted = state.Faults.Take(FaultKinds.Error, platform, path, method, userAgent: userAgent, contentType: contentType);
            if (scripted is not null)
            {
                logger.FaultApplied(scripted.Kind, scripted.Id, method, path);
                await ScriptedError(platform, scripted).ExecuteAsync(context);
                return;
            }

            var rateLimit = state.Faults.Take(FaultKinds.RateLimit, platform, path, method, userAgent: userAgent, contentType: contentType);
            if (rateLimit is not null)
            {
                logger.FaultApplied(rateLimit.Kind, rateLimit.Id, method, path);
                await RateLimited(context, platform, path, rateLimit).ExecuteAsync(context);
                return;
            }

            var transient = state.Faults.Take(FaultKinds.Transient, platform, path, method, userAgent: userAgent, contentType: contentType);
            if (transient is not null)
            {
                logger.FaultApplied(transient.Kind, transient.Id, method, path);
                await Transient(platform, transient).ExecuteAsync(context);
                return;
            }

            // Only requests that carry bytes can be cut (a status query must not use the fault up).
            var hasBody = context.Request.ContentLength > 0
                          || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count > 0);
            var cut = hasBody ? state.Faults.Take(FaultKinds.CutConnection, platform, path, method, userAgent: userAgent, contentType: contentType) : null;
            if (cut is not null)
            {
                logger.FaultApplied(cut.Kind, cut.Id, method, path);
                context.Request.Body = new CuttingStream(context.Request.Body, cut.AfterBytes ?? 0, context);
            }

            var drop = state.Faults.Take(FaultKinds.DropResponse, platform, path, method, userAgent: userAgent, contentType: contentType);
            if (drop is not null)
            {
                // The platform did the work (a post exists), but the caller never hears about it.
                logger.FaultApplied(drop.Kind, drop.Id, method, path);
                var original = context.Response.Body;
                context.Response.Body = Stream.Null;
                try
                {
                    await next(context);
                }
                finally
                {
                    context.Response.Body = original;
                    context.Abort();
                }

                return;
            }

            await next(context);
        }
        finally
        {
            state.Calls.Record(new CallRecord(started, method, path, context.Response.StatusCode));
        }
    }

    private static IResult RateLimited(HttpContext context, string platform, string path, FaultRule rule)
    {
        if (platform != "meta")
        {
            return GoogleApiError.ForReason(rule.Reason ?? "rateLimitExceeded", rule.Status).ToResult();
        }

        var code = rule.Code ?? 4;
        var minutes = rule.EstimatedTimeToRegainAccess ?? 5;
        var headers = context.Response.Headers;
        var objectId = GraphPath.Parse(path).Segments.FirstOrDefault(s => s.All(char.IsDigit)) ?? "0";
        // Each code on the scope Meta keeps it on (§17.1): only the app's own limit (4 without an Instagram subcode)
        // puts X-App-Usage at 100; the business-use-case codes put their object at 100 with the regain time; 17 (a
        // user), 32 (a Page with a user token), 613 (an endpoint) and 4/2207051 (one account's spam flag) leave
        // every usage figure where it was.
        if (code is >= 80000 and <= 80014)
        {
            var type = code == 80002 ? "instagram" : "pages";
            headers["X-Business-Use-Case-Usage"] =
                $$"""{"{{objectId}}":[{"type":"{{type}}","call_count":100,"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":{{minutes}}}]}""";
        }
        else if (code == 4 && rule.Subcode is >= 2207000 and < 2208000)
        {
            headers["X-Business-Use-Case-Usage"] =
                $$"""{"{{objectId}}":[{"type":"instagram","call_count":3,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0}]}""";
        }
        else
        {
            headers["X-App-Usage"] = code == 4
                ? """{"call_count":100,"total_cputime":40,"total_time":60}"""
                : """{"call_count":10,"total_cputime":5,"total_time":5}""";
        }

        var error = code == 4 && rule.Subcode == 2207051 ? GraphRateLimits.AccountRestricted() : GraphError.RateLimit(code, rule.Subcode);
        error = error with { Status = rule.Status ?? 400, Message = rule.Message ?? error.Message };
        GraphRateLimits.Challenge(context, error);
        return error.ToResult();
    }

    /// <summary>Any platform error envelope: Meta's with the given code/subcode, Google's with the given reason.</summary>
    private static IResult ScriptedError(string platform, FaultRule rule) => platform switch
    {
        "meta" => new GraphError(rule.Code ?? 1, rule.Message ?? $"(#{rule.Code ?? 1}) Scripted error", rule.Subcode,
            Status: rule.Status ?? 400, IsTransient: rule.Code is 1 or 2 ? true : null).ToResult(),
        "google" => Results.Json(new { error = rule.Reason ?? "invalid_request", error_description = rule.Message }, SandboxJson.Verbatim, statusCode: rule.Status ?? 400),
        "youtube" => new GoogleApiError(rule.Status ?? 400, rule.Reason ?? "badRequest", rule.Message ?? rule.Reason ?? "Bad Request",
            rule.Reason is "quotaExceeded" ? "youtube.quota" : rule.Reason is "rateLimitExceeded" or "userRateLimitExceeded" ? "usageLimits" : "youtube.video").ToResult(),
        _ => Results.Text(rule.Message ?? "Scripted error", "text/plain", statusCode: rule.Status ?? 500),
    };

    private static IResult Transient(string platform, FaultRule rule) => platform switch
    {
        "meta" => GraphError.Transient(rule.Status ?? 500).ToResult(),
        "google" => Results.Json(
            new { error = "internal_failure", error_description = "Backend Error" }, SandboxJson.Verbatim, statusCode: rule.Status ?? 503),
        "youtube" => GoogleApiError.BackendError(rule.Status ?? 503).ToResult(),
        _ => Results.Text("Service Unavailable", "text/plain", statusCode: rule.Status ?? 503),
    };
}
