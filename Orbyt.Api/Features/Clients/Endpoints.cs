using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Clients;

/// <summary>The API client the key belongs to.</summary>
public sealed class GetCurrentClientEndpoint(OrbytDbContext db) : EndpointWithoutRequest<ClientResponse>
{
    public override void Configure()
    {
        Get("/v1/client");
        Description(d => d.WithTags("Clients"));
        Summary(s => s.Summary = "Get the calling API client");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var clientId = User.ClientId();
        var client = await db.ApiClients.AsNoTracking().SingleAsync(c => c.Id == clientId, ct);
        await Send.OkAsync(ClientResponse.From(client), ct);
    }
}

public sealed class UpdateCurrentClientEndpoint(OrbytDbContext db) : Endpoint<UpdateCurrentClientRequest, ClientResponse>
{
    public override void Configure()
    {
        Patch("/v1/client");
        Description(d => d.WithTags("Clients"));
        Summary(s => s.Summary = "Update the calling API client's settings (allowed return URLs)");
    }

    public override async Task HandleAsync(UpdateCurrentClientRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var client = await db.ApiClients.SingleAsync(c => c.Id == clientId, ct);
        if (req.AllowedReturnUrls is not null)
            client.AllowedReturnUrls = req.AllowedReturnUrls.Distinct().ToList();
        await db.SaveChangesAsync(ct);
        await Send.OkAsync(ClientResponse.From(client), ct);
    }
}

/// <summary>Admin only: creates another API client with its first key (shown once).</summary>
public sealed class CreateClientEndpoint(OrbytDbContext db, TimeProvider time) : Endpoint<CreateClientRequest, CreatedClientResponse>
{
    public override void Configure()
    {
        Post("/v1/clients");
        Description(d => d.WithTags("Clients").ClearDefaultProduces(200).Produces<CreatedClientResponse>(201, "application/json").Produces<ProblemDocument>(403, ProblemResults.ContentType));
        Summary(s => s.Summary = "Create an API client (admin keys only)");
    }

    public override async Task HandleAsync(CreateClientRequest req, CancellationToken ct)
    {
        if (!User.IsAdmin())
            throw new ApiProblemException(ErrorCatalog.Forbidden, "Only an admin API key can create API clients.");
        var now = time.GetUtcNow();
        var client = new ApiClient
        {
            Id = Guid.CreateVersion7(), Name = req.Name, AllowedReturnUrls = req.AllowedReturnUrls.Distinct().ToList(),
            RequestsPerMinute = req.RequestsPerMinute, CreatedAt = now,
        };
        var generated = ApiKeys.Generate();
        var key = new ApiKey { Id = Guid.CreateVersion7(), ClientId = client.Id, KeyId = generated.KeyId, SecretHash = generated.SecretHash, Name = "default", CreatedAt = now };
        db.ApiClients.Add(client);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        await Send.ResponseAsync(new CreatedClientResponse(ClientResponse.From(client), CreatedApiKeyResponse.From(key, generated.Plaintext)), 201, ct);
    }
}
