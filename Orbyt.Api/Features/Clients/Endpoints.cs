using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Clients;

public sealed record ClientResponse(Guid Id, string Name, bool IsAdmin, IReadOnlyList<string> AllowedReturnUrls, DateTimeOffset CreatedAt)
{
    public static ClientResponse From(ApiClient c) => new(c.Id, c.Name, c.IsAdmin, c.AllowedReturnUrls, c.CreatedAt);
}

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

public sealed class UpdateCurrentClientRequest
{
    /// <summary>Prefixes a connection's return_url must start with, e.g. https://app.orbyt.example/connections/.</summary>
    public List<string>? AllowedReturnUrls { get; set; }
}

public sealed class UpdateCurrentClientValidator : Validator<UpdateCurrentClientRequest>
{
    public UpdateCurrentClientValidator()
    {
        RuleForEach(x => x.AllowedReturnUrls).Must(ReturnUrls.IsValidPrefix)
            .WithMessage("Each allowed return URL must be an absolute http(s) URL with a path ending in '/', without query or fragment.");
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

public sealed class CreateClientRequest
{
    public string Name { get; set; } = "";
    public List<string> AllowedReturnUrls { get; set; } = [];
    /// <summary>Requests per minute this client may make; omitted = the service default (Orbyt:ApiRateLimit).</summary>
    public int? RequestsPerMinute { get; set; }
}

public sealed class CreateClientValidator : Validator<CreateClientRequest>
{
    public CreateClientValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.RequestsPerMinute).InclusiveBetween(1, 1_000_000);
        RuleForEach(x => x.AllowedReturnUrls).Must(ReturnUrls.IsValidPrefix)
            .WithMessage("Each allowed return URL must be an absolute http(s) URL with a path ending in '/', without query or fragment.");
    }
}

public sealed record CreatedClientResponse(ClientResponse Client, CreatedApiKeyResponse ApiKey);

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

public sealed record CreatedApiKeyResponse(Guid Id, string Name, string KeyId, string Key, DateTimeOffset CreatedAt)
{
    public static CreatedApiKeyResponse From(ApiKey k, string plaintext) => new(k.Id, k.Name, k.KeyId, plaintext, k.CreatedAt);
}

/// <summary>Rules for the return-URL allow-list (no open redirects).</summary>
public static class ReturnUrls
{
    public static bool IsValidPrefix(string? prefix) =>
        Uri.TryCreate(prefix, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
        && uri.AbsolutePath.EndsWith('/')
        && string.IsNullOrEmpty(uri.UserInfo);
}
