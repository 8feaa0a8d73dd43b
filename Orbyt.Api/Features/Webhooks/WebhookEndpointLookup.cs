using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Security;

namespace Orbyt.Api.Features.Webhooks;

internal static class WebhookEndpointLookup
{
    public const string Tag = "Webhooks";

    /// <summary>The calling client's endpoint, or a 404 problem (another client's ids look exactly like unknown ones).</summary>
    public static async Task<WebhookEndpoint> FindOwnAsync(this OrbytDbContext db, ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var clientId = user.ClientId();
        return await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id && e.ClientId == clientId, ct)
            ?? throw new ApiProblemException(ErrorCatalog.NotFound, "No webhook endpoint with this id.");
    }

    /// <summary>Registration-time SSRF check; the dispatcher checks again on every connection.</summary>
    public static async Task EnsureAllowedAsync(this OutboundUrlGuard guard, string url, CancellationToken ct)
    {
        var check = await guard.CheckAsync(url, ct);
        switch (check.Verdict)
        {
            case OutboundUrlVerdict.Allowed:
                return;
            case OutboundUrlVerdict.Forbidden:
                throw new ApiProblemException(ErrorCatalog.WebhookAddressForbidden, $"url is not allowed: {check.Reason}.", new() { ["url"] = [check.Reason ?? "forbidden"] });
            default:
                throw new ApiProblemException(ErrorCatalog.WebhookUrlInvalid, $"url is not valid: {check.Reason}.", new() { ["url"] = [check.Reason ?? "invalid"] });
        }
    }

    public static List<string> NormalizeEvents(List<string>? events) => events is null ? [] : [.. events.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
