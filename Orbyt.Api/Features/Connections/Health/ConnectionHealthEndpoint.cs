using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Connections.Health;

public sealed class ConnectionHealthEndpoint(OrbytDbContext db, ConnectionHealthService health) : Endpoint<ConnectionHealthRequest, ConnectionHealthResponse>
{
    public override void Configure()
    {
        Get("/v1/connections/{id}/health");
        Description(d => d.WithTags("Connections")
            .Produces<ProblemDocument>(404, ProblemResults.ContentType)
            .Produces<ProblemDocument>(429, ProblemResults.ContentType));
        Summary(s =>
        {
            s.Summary = "Check a connection against its platform: token, scopes, quota left";
            s.Description = "A live check (Meta debug_token and content_publishing_limit or the Page; Instagram Login /me and content_publishing_limit; Google tokeninfo, a refresh when Google refuses the token, and channels?mine=true at most hourly): whether the token works, when it expires, the scopes granted against those required, whether each format can be published now and why not, whether the user must reconnect, and the quota left (Instagram posts in the moving 24 h, YouTube uploads and units today as Orbyt counts them, Meta usage percentages). A check that finds the grant dead marks the connection reauth_required, as the token refresher does. Answers are cached 60 s (cached: true, checked_at); refresh=true asks the platform again. At most one live check per connection per 10 s and 60 per API client per minute: over that, 429 rate_limited with Retry-After. The check never takes from Orbyt's publishing budgets and never pauses publishing.";
        });
    }

    public override async Task HandleAsync(ConnectionHealthRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var connection = await db.Connections.AsNoTracking().Include(c => c.Credential)
            .OwnedBy(clientId, req.UserId).SingleOrDefaultAsync(c => c.Id == req.Id, ct)
            ?? throw new ApiProblemException(ErrorCatalog.NotFound);
        switch (await health.GetAsync(clientId, connection, req.Refresh == true, ct))
        {
            case HealthOutcome.Answer answer:
                await Send.OkAsync(answer.Health, ct);
                break;
            case HealthOutcome.Refused refused:
                // Written here, not thrown: the exception handler clears the response's headers, Retry-After included.
                HttpContext.Response.Headers.RetryAfter = ConnectionHealthService.Seconds(refused.RetryAfter);
                await ProblemResults.WriteAsync(HttpContext, ErrorCatalog.RateLimited, refused.Detail);
                break;
        }
    }
}
