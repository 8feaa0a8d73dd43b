using System.Net;
using Orbyt.Core.Platforms.Meta;

namespace Orbyt.Uploader.RateLimits;

/// <summary>
/// Sits on the wire side of the Meta publishing client: every call first takes from the app budget and the budget of
/// the Page / Instagram account it is made for (<see cref="PlatformCallScope"/>), and is not sent when either is
/// empty, paused or slowed. Every answer's usage headers and rate-limit errors then slow a scope down (above the
/// threshold) or stop it (at 100 %, or for <c>estimated_time_to_regain_access</c>).
/// </summary>
public sealed class MetaRateLimitHandler(PlatformBudgets budgets, PlatformClock clock) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var account = PlatformCallScope.CurrentAccount;
        BudgetScope[] scopes = account is null ? [budgets.MetaAppScope()] : [budgets.MetaAppScope(), budgets.MetaAccountScope(account)];
        if (await budgets.TryAcquireAsync(scopes) is { } wait)
            throw new PlatformBudgetExhaustedException("meta", wait);

        var response = await base.SendAsync(request, cancellationToken);
        clock.Observe(PlatformClock.Meta, response.Headers.Date);
        var report = MetaUsageReport.Parse(Header(response, MetaUsageReport.AppUsageHeader), Header(response, MetaUsageReport.BusinessUsageHeader));
        await ApplyUsageAsync(report);
        if (RetryAfter(response) is { } retryAfter)
            await budgets.PauseAsync(account is null ? PlatformBudgets.MetaApp : PlatformBudgets.MetaAccountName(account), retryAfter, "retry_after");
        if (!response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType is "application/json" or "text/javascript")
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var error = MetaGraphClient.ParseError(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            await ApplyErrorAsync(error.Code, account, report);
        }
        return response;
    }

    private async Task ApplyUsageAsync(MetaUsageReport report)
    {
        var options = budgets.Options;
        if (report.AppMaxPercent is { } app)
            await ApplyPercentAsync(PlatformBudgets.MetaApp, app, regainMinutes: 0, options);
        foreach (var usage in report.Business)
            await ApplyPercentAsync(PlatformBudgets.MetaAccountName(usage.ObjectId), usage.MaxPercent, usage.RegainMinutes, options);
    }

    private async Task ApplyPercentAsync(string scope, int percent, int regainMinutes, PlatformRateLimitOptions options)
    {
        if (regainMinutes > 0)
            await budgets.PauseAsync(scope, TimeSpan.FromMinutes(regainMinutes), "estimated_time_to_regain_access");
        else if (percent >= 100)
            await budgets.PauseAsync(scope, options.DefaultPause, "usage_at_100_percent");
        else if (percent >= options.SlowDownAbovePercent)
            await budgets.SlowDownAsync(scope, percent);
    }

    /// <summary>Meta's rate-limit error codes stop the scope they are about: 4 and 341 the app, the others the object.</summary>
    private async Task ApplyErrorAsync(int code, string? account, MetaUsageReport report)
    {
        var scope = code switch
        {
            4 or 341 => PlatformBudgets.MetaApp,
            17 or 32 or 613 or (>= 80000 and <= 80014) => account is null ? PlatformBudgets.MetaApp : PlatformBudgets.MetaAccountName(account),
            _ => null,
        };
        if (scope is null) return;
        var regain = report.Business.Where(b => account is null || b.ObjectId == account).Select(b => b.RegainMinutes).DefaultIfEmpty(0).Max();
        await budgets.PauseAsync(scope, regain > 0 ? TimeSpan.FromMinutes(regain) : budgets.Options.DefaultPause, $"meta_error_{code}");
    }

    /// <summary>A <c>Retry-After</c> on a refusal (429 or 5xx), as a duration.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if ((int)response.StatusCode is not (429 or >= 500) || response.Headers.RetryAfter is not { } header) return null;
        var wait = header.Delta ?? (header.Date is { } date ? date - clock.Now(PlatformClock.Meta) : null);
        return wait > TimeSpan.Zero ? wait : null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
