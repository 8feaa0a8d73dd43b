using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Meta;

namespace Orbyt.Api.Features.Connections;

/// <summary>
/// Finds every Page a Meta login reaches (docs/connections.md, reference §11.6): <c>/me/accounts</c> (Page roles of the
/// person's own), the Business Portfolios' <c>owned_pages</c> and <c>client_pages</c> when <c>business_management</c> was
/// granted, and the Page ids <c>debug_token</c> names in <c>granular_scopes</c> — merged by id, keeping the copy that
/// carries a Page token. Only <c>/me/accounts</c> failing is fatal; a failure in the other two leaves the list
/// possibly incomplete, which is logged.
/// </summary>
public sealed partial class MetaPageDiscovery(MetaGraphClient meta, ILogger<MetaPageDiscovery> logger)
{
    /// <summary>At most this many portfolios are walked, and this many Pages looked up one by one, inside one callback.</summary>
    public const int MaxBusinesses = 100;
    public const int MaxSinglePages = 100;

    private static readonly string[] PageScopes = ["pages_show_list", "pages_manage_posts", "pages_read_engagement"];

    public async Task<IReadOnlyList<DiscoveredPage>> DiscoverAsync(string userToken, MetaDebugToken debug, CancellationToken ct)
    {
        var found = new Dictionary<string, DiscoveredPage>(StringComparer.Ordinal);
        foreach (var page in await meta.GetAccountsAsync(userToken, ct))
            Merge(found, new DiscoveredPage(page, ThroughPageRole: true));

        if (debug.Scopes?.Contains("business_management") == true)
            await AddPortfolioPagesAsync(found, userToken, ct);

        var targets = (debug.GranularScopes ?? [])
            .Where(g => PageScopes.Contains(g.Scope))
            .SelectMany(g => g.TargetIds ?? [])
            .Distinct(StringComparer.Ordinal)
            .Where(id => !found.TryGetValue(id, out var known) || known.Page.AccessToken is null)
            .Take(MaxSinglePages);
        foreach (var pageId in targets)
        {
            try
            {
                Merge(found, new DiscoveredPage(await meta.GetPageAsync(pageId, userToken, ct), ThroughPageRole: false));
            }
            catch (Exception ex) when (ex is PlatformException or HttpRequestException)
            {
                LogStepFailed(logger, "page_by_id", ex.GetType().Name);
            }
        }
        return [.. found.Values];
    }

    private async Task AddPortfolioPagesAsync(Dictionary<string, DiscoveredPage> found, string userToken, CancellationToken ct)
    {
        IReadOnlyList<MetaBusiness> businesses;
        try
        {
            businesses = await meta.GetBusinessesAsync(userToken, ct);
        }
        catch (Exception ex) when (ex is PlatformException or HttpRequestException)
        {
            LogStepFailed(logger, "businesses", ex.GetType().Name);
            return;
        }

        foreach (var business in businesses.Take(MaxBusinesses))
        {
            // Meta's own Business Manager makes the same two calls (reference §11.4).
            foreach (var edge in new[] { "owned_pages", "client_pages" })
            {
                try
                {
                    foreach (var page in await meta.GetBusinessPagesAsync(business.Id, edge, userToken, ct))
                        Merge(found, new DiscoveredPage(page, ThroughPageRole: false));
                }
                catch (Exception ex) when (ex is PlatformException or HttpRequestException)
                {
                    LogStepFailed(logger, edge, ex.GetType().Name);
                }
            }
        }
    }

    /// <summary>One entry per Page id: the copy with a Page token wins, and a Page role of the person's own is kept.</summary>
    private static void Merge(Dictionary<string, DiscoveredPage> found, DiscoveredPage candidate)
    {
        if (!found.TryGetValue(candidate.Page.Id, out var known))
        {
            found[candidate.Page.Id] = candidate;
            return;
        }
        var page = known.Page.AccessToken is null && candidate.Page.AccessToken is not null ? candidate.Page : known.Page;
        found[candidate.Page.Id] = new DiscoveredPage(
            page with { InstagramBusinessAccount = page.InstagramBusinessAccount ?? known.Page.InstagramBusinessAccount ?? candidate.Page.InstagramBusinessAccount },
            known.ThroughPageRole || candidate.ThroughPageRole);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meta Page discovery step {Step} failed ({ErrorType}); the Pages found may be incomplete.")]
    private static partial void LogStepFailed(ILogger logger, string step, string errorType);
}
