using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Security;
using Orbyt.Core.Vault;
using Orbyt.Core.Webhooks;
using Orbyt.Core.Webhooks.Events;

namespace Orbyt.Api.Features.Webhooks;

/// <summary>Registers a webhook endpoint; the response carries its signing secret, shown this once.</summary>
public sealed class CreateWebhookEndpoint(OrbytDbContext db, OutboundUrlGuard guard, ITokenVault vault, TimeProvider time)
    : Endpoint<CreateWebhookRequest, WebhookEndpointResponse>
{
    public override void Configure()
    {
        Post("/v1/webhooks");
        Description(d => d.WithTags(WebhookEndpointLookup.Tag).ClearDefaultProduces(200).Produces<WebhookEndpointResponse>(201, "application/json").Produces<ProblemDocument>(400, ProblemResults.ContentType));
        Summary(s => s.Summary = "Register a webhook endpoint (returns its whsec_ secret once)");
    }

    public override async Task HandleAsync(CreateWebhookRequest req, CancellationToken ct)
    {
        await guard.EnsureAllowedAsync(req.Url, ct);
        var now = time.GetUtcNow();
        var secret = WebhookSecrets.Generate();
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(now),
            ClientId = User.ClientId(),
            Url = req.Url,
            Description = req.Description,
            Events = WebhookEndpointLookup.NormalizeEvents(req.Events),
            SecretCiphertext = WebhookSecrets.Protect(vault, secret),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        await Send.ResponseAsync(WebhookEndpointResponse.From(endpoint, now, secret), 201, ct);
    }
}

public sealed class ListWebhooksEndpoint(OrbytDbContext db, TimeProvider time) : EndpointWithoutRequest<WebhookEndpointListResponse>
{
    public override void Configure()
    {
        Get("/v1/webhooks");
        Description(d => d.WithTags(WebhookEndpointLookup.Tag));
        Summary(s => s.Summary = "List the calling client's webhook endpoints");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var clientId = User.ClientId();
        var now = time.GetUtcNow();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.ClientId == clientId).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        await Send.OkAsync(new WebhookEndpointListResponse(endpoints.Select(e => WebhookEndpointResponse.From(e, now)).ToArray()), ct);
    }
}

public sealed class GetWebhookEndpoint(OrbytDbContext db, TimeProvider time) : Endpoint<WebhookIdRequest, WebhookEndpointResponse>
{
    public override void Configure()
    {
        Get("/v1/webhooks/{id}");
        Description(d => d.WithTags(WebhookEndpointLookup.Tag).Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s => s.Summary = "Get a webhook endpoint (enabled, disabled_reason, failing_since)");
    }

    public override async Task HandleAsync(WebhookIdRequest req, CancellationToken ct)
    {
        var endpoint = await db.FindOwnAsync(User, req.Id, ct);
        await Send.OkAsync(WebhookEndpointResponse.From(endpoint, time.GetUtcNow()), ct);
    }
}

public sealed class UpdateWebhookEndpoint(OrbytDbContext db, OutboundUrlGuard guard, TimeProvider time) : Endpoint<UpdateWebhookRequest, WebhookEndpointResponse>
{
    public override void Configure()
    {
        Patch("/v1/webhooks/{id}");
        Description(d => d.WithTags(WebhookEndpointLookup.Tag).Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s => s.Summary = "Change a webhook endpoint's url, events, description, or enable/disable it");
    }

    public override async Task HandleAsync(UpdateWebhookRequest req, CancellationToken ct)
    {
        var endpoint = await db.FindOwnAsync(User, req.Id, ct);
        var now = time.GetUtcNow();
        if (req.Url is not null && req.Url != endpoint.Url)
        {
            await guard.EnsureAllowedAsync(req.Url, ct);
            endpoint.Url = req.Url;
        }
        if (req.Events is not null)
            endpoint.Events = WebhookEndpointLookup.NormalizeEvents(req.Events);
        if (req.Description is not null)
            endpoint.Description = req.Description;
        var disabling = req.Enabled == false && endpoint.Enabled;
        if (req.Enabled == true)
        {
            endpoint.Enabled = true;
            endpoint.DisabledReason = null;
            endpoint.FailingSince = null;
        }
        else if (disabling)
        {
            endpoint.Enabled = false;
            endpoint.DisabledReason = WebhookDisabledReasons.Manual;
        }
        endpoint.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        if (disabling)
            await WebhookEndpointState.FailPendingDeliveriesAsync(db, endpoint.Id, $"endpoint disabled ({WebhookDisabledReasons.Manual})", now, ct);
        await Send.OkAsync(WebhookEndpointResponse.From(endpoint, now), ct);
    }
}

public sealed class DeleteWebhookEndpoint(OrbytDbContext db) : Endpoint<WebhookIdRequest>
{
    public override void Configure()
    {
        Delete("/v1/webhooks/{id}");
        Description(d => d.WithTags(WebhookEndpointLookup.Tag).Produces(204).Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s => s.Summary = "Delete a webhook endpoint and its delivery log");
    }

    public override async Task HandleAsync(WebhookIdRequest req, CancellationToken ct)
    {
        var endpoint = await db.FindOwnAsync(User, req.Id, ct);
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(ct);
        await Send.NoContentAsync(ct);
    }
}

/// <summary>New secret now; the previous one keeps signing (a second signature) for the overlap, 24 h by default.</summary>
public sealed class RotateWebhookSecretEndpoint(OrbytDbContext db, ITokenVault vault, IOptions<WebhookOptions> options, TimeProvider time)
    : Endpoint<WebhookIdRequest, WebhookEndpointResponse>
{
    public override void Configure()
    {
        Post("/v1/webhooks/{id}/rotate-secret");
        Description(d => d.WithTags(WebhookEndpointLookup.Tag).Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s => s.Summary = "Rotate the signing secret (the old one keeps signing for 24 h)");
    }

    public override async Task HandleAsync(WebhookIdRequest req, CancellationToken ct)
    {
        var endpoint = await db.FindOwnAsync(User, req.Id, ct);
        var now = time.GetUtcNow();
        var secret = WebhookSecrets.Generate();
        endpoint.PreviousSecretCiphertext = endpoint.SecretCiphertext;
        endpoint.PreviousSecretExpiresAt = now + options.Value.RotationOverlap;
        endpoint.SecretCiphertext = WebhookSecrets.Protect(vault, secret);
        endpoint.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await Send.OkAsync(WebhookEndpointResponse.From(endpoint, now, secret), ct);
    }
}

/// <summary>Records a <c>webhook.test</c> event addressed to this endpoint only; the dispatcher sends it within a second or so.</summary>
public sealed class TestWebhookEndpoint(OrbytDbContext db, WebhookRetrySchedule schedule, TimeProvider time) : Endpoint<WebhookIdRequest, WebhookTestResponse>
{
    public override void Configure()
    {
        Post("/v1/webhooks/{id}/test");
        Description(d => d.WithTags(WebhookEndpointLookup.Tag).ClearDefaultProduces(200).Produces<WebhookTestResponse>(202, "application/json").Produces<ProblemDocument>(404, ProblemResults.ContentType).Produces<ProblemDocument>(409, ProblemResults.ContentType));
        Summary(s => s.Summary = "Send a webhook.test event to this endpoint");
    }

    public override async Task HandleAsync(WebhookIdRequest req, CancellationToken ct)
    {
        var endpoint = await db.FindOwnAsync(User, req.Id, ct);
        if (!endpoint.Enabled)
            throw new ApiProblemException(ErrorCatalog.WebhookEndpointDisabled);
        var now = time.GetUtcNow();
        var @event = WebhookOutbox.Add(db, endpoint.ClientId, WebhookEventTypes.WebhookTest,
            new WebhookTestData(endpoint.Id, "This is a test event from Orbyt."), now);
        // Addressed when recorded: the fan-out never broadcasts it.
        @event.DispatchedAt = now;
        var delivery = WebhookDeliveries.Create(@event, endpoint.Id, endpoint.Url, now, schedule);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        await Send.ResponseAsync(new WebhookTestResponse(delivery.Id, @event.Id), 202, ct);
    }
}

/// <summary>The delivery log of one endpoint, newest first.</summary>
public sealed class ListWebhookDeliveriesEndpoint(OrbytDbContext db) : Endpoint<ListDeliveriesRequest, WebhookDeliveryListResponse>
{
    public override void Configure()
    {
        Get("/v1/webhooks/{id}/deliveries");
        Description(d => d.WithTags(WebhookEndpointLookup.Tag).Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s => s.Summary = "List an endpoint's deliveries (status, attempts, last response, next attempt)");
    }

    public override async Task HandleAsync(ListDeliveriesRequest req, CancellationToken ct)
    {
        var endpoint = await db.FindOwnAsync(User, req.Id, ct);
        var limit = req.Limit ?? 20;
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpoint.Id);
        if (req.Before is { } before)
        {
            var cursor = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Id == before && d.EndpointId == endpoint.Id)
                .Select(d => new { d.CreatedAt, d.Id }).SingleOrDefaultAsync(ct)
                ?? throw new ApiProblemException(ErrorCatalog.ValidationFailed, "before is not a delivery of this endpoint.", new() { ["before"] = ["Unknown delivery id."] });
            query = query.Where(d => EF.Functions.LessThan(ValueTuple.Create(d.CreatedAt, d.Id), ValueTuple.Create(cursor.CreatedAt, cursor.Id)));
        }
        var page = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(limit + 1)
            .Select(d => new { Delivery = d, d.Event!.Type })
            .ToListAsync(ct);
        var hasMore = page.Count > limit;
        var items = page.Take(limit).Select(x => WebhookDeliveryResponse.From(x.Delivery, x.Type)).ToArray();
        await Send.OkAsync(new WebhookDeliveryListResponse(items, hasMore, hasMore ? items[^1].Id : null), ct);
    }
}

/// <summary>Queues a delivery again now, with the same webhook-id and a fresh retry schedule.</summary>
public sealed class ResendWebhookDeliveryEndpoint(OrbytDbContext db, WebhookRetrySchedule schedule, TimeProvider time)
    : Endpoint<ResendDeliveryRequest, WebhookDeliveryResponse>
{
    public override void Configure()
    {
        Post("/v1/webhooks/{id}/deliveries/{delivery_id}/resend");
        Description(d => d.WithTags(WebhookEndpointLookup.Tag).ClearDefaultProduces(200).Produces<WebhookDeliveryResponse>(202, "application/json").Produces<ProblemDocument>(404, ProblemResults.ContentType).Produces<ProblemDocument>(409, ProblemResults.ContentType));
        Summary(s => s.Summary = "Resend a delivery (same webhook-id)");
    }

    public override async Task HandleAsync(ResendDeliveryRequest req, CancellationToken ct)
    {
        var endpoint = await db.FindOwnAsync(User, req.Id, ct);
        if (!endpoint.Enabled)
            throw new ApiProblemException(ErrorCatalog.WebhookEndpointDisabled);
        var delivery = await db.WebhookDeliveries.Include(d => d.Event)
            .SingleOrDefaultAsync(d => d.Id == req.DeliveryId && d.EndpointId == endpoint.Id, ct)
            ?? throw new ApiProblemException(ErrorCatalog.NotFound, "No delivery with this id for this endpoint.");
        var now = time.GetUtcNow();
        delivery.Status = DeliveryStatuses.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = now + schedule.Delays[0];
        delivery.CompletedAt = null;
        // Follows the endpoint if its URL changed since.
        delivery.TargetUrl = endpoint.Url;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ApiProblemException(ErrorCatalog.Conflict, "The delivery is being attempted right now; try again in a moment.");
        }
        await Send.ResponseAsync(WebhookDeliveryResponse.From(delivery, delivery.Event!.Type), 202, ct);
    }
}
