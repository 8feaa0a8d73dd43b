using Orbyt.Core.RateLimits;
using Orbyt.Core.Platforms.Meta;

namespace Orbyt.Uploader.RateLimits;

/// <summary>
/// Sits on the wire side of the Meta publishing client: every call first takes from the budgets of the scopes Meta
/// limits it by — the app, the Meta user behind the token, the Page / Instagram account it is made for
/// (<see cref="PlatformCallScope"/>) and the Graph endpoint — and is not sent when one of them is spent, paused or
/// slowed. Every answer's usage headers and rate-limit errors then slow down or stop the scope they are about
/// (<see cref="MetaRateLimitSignals"/>), and only that one: a throttled Page or a flagged account pauses no one else.
/// </summary>
public sealed class MetaRateLimitHandler(PlatformBudgets budgets, PlatformClock clock) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = PlatformCallScope.Current;
        var endpoint = MetaRateLimitSignals.Endpoint(request.RequestUri);
        var scopes = MetaRateLimitSignals.ScopesOf(target, endpoint).Select(Scope).ToArray();
        if (await budgets.TryAcquireOrExplainAsync(scopes) is { } refused)
            throw new PlatformBudgetExhaustedException("meta", refused.Wait, refused.Scope, refused.Reason);

        var response = await base.SendAsync(request, cancellationToken);
        clock.Observe(PlatformClock.Meta, response.Headers.Date);
        var usage = MetaUsageReport.From(response);
        (int, int?)? error = null;
        if (!response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType is "application/json" or "text/javascript")
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var parsed = MetaGraphClient.ParseError(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            error = (parsed.Code, parsed.Subcode);
        }
        foreach (var action in MetaRateLimitSignals.Read(target, endpoint, usage, error, budgets.Options))
            await budgets.ApplyAsync(action);
        if (RetryAfter(response) is { } retryAfter)
            await budgets.PauseAsync(target is null ? PlatformBudgets.MetaApp : PlatformBudgets.MetaAccountName(target.AccountId), retryAfter, "retry_after");
        return response;
    }

    private BudgetScope Scope(string name) => name switch
    {
        PlatformBudgets.MetaApp => budgets.MetaAppScope(),
        _ when name.StartsWith("meta:account:", StringComparison.Ordinal) => budgets.MetaAccountScope(name["meta:account:".Length..]),
        _ => PlatformBudgets.Uncounted(name),
    };

    /// <summary>A <c>Retry-After</c> on a refusal (429 or 5xx), as a duration.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if ((int)response.StatusCode is not (429 or >= 500) || response.Headers.RetryAfter is not { } header) return null;
        var wait = header.Delta ?? (header.Date is { } date ? date - clock.Now(PlatformClock.Meta) : null);
        return wait > TimeSpan.Zero ? wait : null;
    }
}
