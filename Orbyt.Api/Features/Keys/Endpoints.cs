using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using Orbyt.Api.Features.Clients;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Keys;

public sealed class ListApiKeysEndpoint(OrbytDbContext db) : EndpointWithoutRequest<ApiKeyListResponse>
{
    public override void Configure()
    {
        Get("/v1/api-keys");
        Description(d => d.WithTags("API keys"));
        Summary(s => s.Summary = "List the calling client's API keys (never their secrets)");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var clientId = User.ClientId();
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.ClientId == clientId).OrderBy(k => k.CreatedAt).ToListAsync(ct);
        await Send.OkAsync(new ApiKeyListResponse(keys.Select(ApiKeyResponse.From).ToArray()), ct);
    }
}

/// <summary>Creates another key for the calling client; the plaintext key is in this response only.</summary>
public sealed class CreateApiKeyEndpoint(OrbytDbContext db, TimeProvider time) : Endpoint<CreateApiKeyRequest, CreatedApiKeyResponse>
{
    public override void Configure()
    {
        Post("/v1/api-keys");
        Description(d => d.WithTags("API keys").ClearDefaultProduces(200).Produces<CreatedApiKeyResponse>(201, "application/json"));
        Summary(s => s.Summary = "Create an API key for the calling client");
    }

    public override async Task HandleAsync(CreateApiKeyRequest req, CancellationToken ct)
    {
        var generated = ApiKeys.Generate();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(), ClientId = User.ClientId(), KeyId = generated.KeyId, SecretHash = generated.SecretHash,
            Name = req.Name, CreatedAt = time.GetUtcNow(),
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        await Send.ResponseAsync(CreatedApiKeyResponse.From(key, generated.Plaintext), 201, ct);
    }
}

/// <summary>Revokes one of the calling client's keys; it stops authenticating immediately.</summary>
public sealed class RevokeApiKeyEndpoint(OrbytDbContext db, ApiKeyCache keys, TimeProvider time) : Endpoint<RevokeApiKeyRequest, ApiKeyResponse>
{
    public override void Configure()
    {
        Delete("/v1/api-keys/{id}");
        Description(d => d.WithTags("API keys").Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s => s.Summary = "Revoke an API key");
    }

    public override async Task HandleAsync(RevokeApiKeyRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == req.Id && k.ClientId == clientId, ct)
            ?? throw new ApiProblemException(ErrorCatalog.NotFound);
        key.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await keys.InvalidateAsync(key.KeyId);
        await Send.OkAsync(ApiKeyResponse.From(key), ct);
    }
}
