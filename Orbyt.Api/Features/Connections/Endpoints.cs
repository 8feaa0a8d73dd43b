using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Api.Features.Connections.Health;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Connections;

public sealed class AuthorizeEndpoint(OAuthFlow flow) : Endpoint<AuthorizeRequest, AuthorizeResponse>
{
    public override void Configure()
    {
        Post("/v1/connections/{platform}/authorize");
        Description(d => d.WithTags("Connections").Produces<ProblemDocument>(400, ProblemResults.ContentType));
        Summary(s =>
        {
            s.Summary = "Start connecting an account";
            s.Description = "Returns the platform's consent URL. For instagram, login chooses Facebook Login through a Page (facebook, the default) or Instagram Login (instagram: any Instagram professional account, no Facebook Page needed; docs/connections.md). Open it in the user's browser; the platform returns the browser to the callback, which redirects to return_url with status=connected&connection_ids=… or status=error&error_code=….";
        });
    }

    public override async Task HandleAsync(AuthorizeRequest req, CancellationToken ct)
    {
        if (!PlatformNames.All.Contains(req.Platform))
            throw new ApiProblemException(ErrorCatalog.UnsupportedPlatform, $"'{req.Platform}' is not a platform; use facebook, instagram or youtube.");
        var (url, expiresAt) = await flow.StartAsync(User.ClientId(), req.UserId, req.Platform, req.Login, req.ReturnUrl, ct);
        await Send.OkAsync(new AuthorizeResponse(url.AbsoluteUri, expiresAt), ct);
    }
}

/// <summary>The platforms' redirect target. Public: the state parameter is the credential.</summary>
public sealed class CallbackEndpoint(OAuthFlow flow) : Endpoint<CallbackRequest>
{
    public override void Configure()
    {
        Get("/v1/oauth/{platform}/callback");
        AllowAnonymous();
        Description(d => d.WithTags("Connections").Produces(302).Produces<ProblemDocument>(400, ProblemResults.ContentType));
        Summary(s => s.Summary = "OAuth redirect target (called by the platform through the user's browser)");
    }

    public override async Task HandleAsync(CallbackRequest req, CancellationToken ct)
    {
        if (!PlatformNames.All.Contains(req.Platform))
            throw new ApiProblemException(ErrorCatalog.UnsupportedPlatform);
        switch (await flow.CompleteAsync(req.Platform, HttpContext.Request.Query, ct))
        {
            case CallbackOutcome.Redirect redirect:
                await Send.RedirectAsync(redirect.Url, isPermanent: false, allowRemoteRedirects: true);
                break;
            case CallbackOutcome.Problem problem:
                throw new ApiProblemException(problem.Error, problem.Detail);
        }
    }
}

public sealed class ListConnectionsEndpoint(OrbytDbContext db, IServiceScopeFactory scopes, IOptions<ConnectionHealthOptions> healthOptions)
    : Endpoint<ListConnectionsRequest, ConnectionListResponse>
{
    public override void Configure()
    {
        Get("/v1/connections");
        Description(d => d.WithTags("Connections"));
        Summary(s =>
        {
            s.Summary = "List a user's connections";
            s.Description = "include=health adds each connection's health (as GET /v1/connections/{id}/health: cached answers where fresh, live checks a few at a time); an item the health rate limit refused has check_error rate_limited instead of a 429 for the whole list.";
        });
    }

    public override async Task HandleAsync(ListConnectionsRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var query = db.Connections.AsNoTracking().Include(c => c.Credential).OwnedBy(clientId, req.UserId);
        if (!string.IsNullOrEmpty(req.Platform)) query = query.Where(c => c.Platform == req.Platform);
        if (!string.IsNullOrEmpty(req.Status)) query = query.Where(c => c.Status == req.Status);
        var rows = await query.OrderBy(c => c.ConnectedAt).ToListAsync(ct);
        var health = req.Include == "health" ? await HealthAsync(clientId, rows, ct) : null;
        await Send.OkAsync(new ConnectionListResponse(rows.Select(c => ConnectionResponse.From(c, c.Credential)).ToArray(), health), ct);
    }

    /// <summary>Every connection's health, a bounded number of checks at a time, each in its own scope (its own DbContext).</summary>
    private async Task<ConnectionHealthResponse[]> HealthAsync(Guid clientId, List<Connection> rows, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, healthOptions.Value.ListConcurrency));
        return await Task.WhenAll(rows.Select(async connection =>
        {
            await gate.WaitAsync(ct);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<ConnectionHealthService>().GetAsync(clientId, connection, refresh: false, ct) switch
                {
                    HealthOutcome.Answer answer => answer.Health,
                    _ => await scope.ServiceProvider.GetRequiredService<ConnectionHealthCheck>().NotCheckedAsync(connection, ErrorCatalog.RateLimited.Code),
                };
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}

public sealed class GetConnectionEndpoint(OrbytDbContext db) : Endpoint<ConnectionRequest, ConnectionResponse>
{
    public override void Configure()
    {
        Get("/v1/connections/{id}");
        Description(d => d.WithTags("Connections").Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s => s.Summary = "Get one connection with its token health");
    }

    public override async Task HandleAsync(ConnectionRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var connection = await db.Connections.AsNoTracking().Include(c => c.Credential)
            .OwnedBy(clientId, req.UserId).SingleOrDefaultAsync(c => c.Id == req.Id, ct)
            ?? throw new ApiProblemException(ErrorCatalog.NotFound);
        await Send.OkAsync(ConnectionResponse.From(connection, connection.Credential), ct);
    }
}

public sealed class DeleteConnectionEndpoint(OrbytDbContext db, ConnectionWriter writer) : Endpoint<ConnectionRequest, ConnectionResponse>
{
    public override void Configure()
    {
        Delete("/v1/connections/{id}");
        Description(d => d.WithTags("Connections").Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s =>
        {
            s.Summary = "Disconnect an account";
            s.Description = "Revokes the grant at the platform when nothing else of this user uses it (Google revoke, Meta permission removal), erases the tokens and marks the connection revoked.";
        });
    }

    public override async Task HandleAsync(ConnectionRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var connection = await db.Connections.OwnedBy(clientId, req.UserId).SingleOrDefaultAsync(c => c.Id == req.Id, ct)
            ?? throw new ApiProblemException(ErrorCatalog.NotFound);
        if (connection.Status != ConnectionStatuses.Revoked)
            await writer.RevokeAsync(connection, ct);
        await Send.OkAsync(ConnectionResponse.From(connection, null), ct);
    }
}
