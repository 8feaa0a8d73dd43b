using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Jobs;
using Orbyt.Core.Security;
using Orbyt.Core.Vault;
using Orbyt.Core.Webhooks;

namespace Orbyt.Uploader.Webhooks;

/// <summary>
/// Sends due deliveries. A delivery is claimed by pushing its <c>next_attempt_at</c> forward by a lease in one
/// <c>UPDATE … FOR UPDATE SKIP LOCKED … RETURNING</c>, so exactly one replica makes a given attempt; the result is
/// saved under the row's xmin, so a replica whose lease ran out cannot overwrite a newer attempt. A replica that
/// dies mid-attempt leaves the row to be picked up again when the lease expires.
/// </summary>
public sealed partial class WebhookSender(
    WebhookHttpClient http,
    OutboundUrlGuard guard,
    WebhookRetrySchedule schedule,
    ITokenVault vault,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookSender> logger)
{
    private readonly WebhookOptions _options = options.Value;

    private TimeSpan Lease => _options.RequestTimeout + TimeSpan.FromSeconds(45);

    /// <returns>The number of deliveries attempted.</returns>
    public async Task<int> RunOnceAsync(OrbytDbContext db, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = time.GetUtcNow();
        var leaseUntil = now + Lease;
        var claimed = await db.WebhookDeliveries.FromSql($"""
            UPDATE webhook_deliveries SET next_attempt_at = {leaseUntil}
            WHERE id IN (
                SELECT id FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= {now}
                ORDER BY next_attempt_at
                LIMIT {_options.BatchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING *, xmin
            """).ToListAsync(ct);
        if (claimed.Count == 0)
            return 0;

        var eventIds = claimed.Select(d => d.EventId).Distinct().ToList();
        var events = await db.WebhookEvents.AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var endpointIds = claimed.Where(d => d.EndpointId is not null).Select(d => d.EndpointId!.Value).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var callbackSigners = await CallbackSignersAsync(db, claimed, ct);

        var attempts = claimed.Select(delivery =>
        {
            var endpoint = delivery.EndpointId is { } id ? endpoints.GetValueOrDefault(id) : null;
            var signer = delivery.EndpointId is null ? callbackSigners.GetValueOrDefault(delivery.ClientId) : endpoint;
            return AttemptAsync(delivery, events[delivery.EventId], endpoint, signer, ct);
        }).ToArray();
        var results = await Task.WhenAll(attempts);

        foreach (var (delivery, endpoint, result, outcome) in results)
            await RecordAsync(db, delivery, endpoint, result, outcome, ct);
        return claimed.Count;
    }

    /// <summary>
    /// Per-publication callbacks are signed with the secret of the client's oldest enabled endpoint (see
    /// docs/webhooks.md): the receiver already holds it, and it follows that endpoint's rotations.
    /// </summary>
    private static async Task<Dictionary<Guid, WebhookEndpoint>> CallbackSignersAsync(OrbytDbContext db, List<WebhookDelivery> claimed, CancellationToken ct)
    {
        var clientIds = claimed.Where(d => d.EndpointId is null).Select(d => d.ClientId).Distinct().ToList();
        if (clientIds.Count == 0)
            return [];
        var candidates = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => clientIds.Contains(e.ClientId) && e.Enabled)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .ToListAsync(ct);
        return candidates.GroupBy(e => e.ClientId).ToDictionary(g => g.Key, g => g.First());
    }

    private async Task<(WebhookDelivery Delivery, WebhookEndpoint? Endpoint, WebhookAttemptResult Result, string? Outcome)> AttemptAsync(
        WebhookDelivery delivery, WebhookEvent @event, WebhookEndpoint? endpoint, WebhookEndpoint? signer, CancellationToken ct)
    {
        var attempt = delivery.Attempts + 1;
        // In the trace of whatever recorded the event (a publication's job step, a request): one trace per publication.
        ActivityContext.TryParse(@event.TraceParent, null, out var parent);
        using var activity = WebhookTelemetry.Source.StartActivity("webhook deliver", ActivityKind.Client, parent);
        if (activity is not null) TagSubject(activity, @event);
        activity?.SetTag("webhook.id", delivery.Id.ToString());
        activity?.SetTag("webhook.event_id", @event.Id.ToString());
        activity?.SetTag("webhook.event_type", @event.Type);
        activity?.SetTag("webhook.attempt", attempt);
        activity?.SetTag("webhook.endpoint_id", delivery.EndpointId?.ToString() ?? "callback_url");
        activity?.SetTag("server.address", HostOf(delivery.TargetUrl));

        if (delivery.EndpointId is not null && endpoint is not { Enabled: true })
            return (delivery, endpoint, new WebhookAttemptResult(null, "endpoint disabled"), WebhookOutcomes.EndpointDisabled);
        // Retries follow the endpoint when its URL was corrected after the event.
        if (endpoint is not null && delivery.TargetUrl != endpoint.Url)
            delivery.TargetUrl = endpoint.Url;

        var started = Stopwatch.GetTimestamp();
        var result = await SendAsync(delivery, @event, signer, ct);
        var elapsed = Stopwatch.GetElapsedTime(started);
        activity?.SetTag("http.response.status_code", result.StatusCode);
        if (!result.Succeeded)
            activity?.SetStatus(ActivityStatusCode.Error, result.Error ?? $"HTTP {result.StatusCode}");
        WebhookTelemetry.AttemptDuration.Record(elapsed.TotalSeconds);
        return (delivery, endpoint, result, null);
    }

    /// <summary>The job and publication an event is about, from its payload, as the job spans tag them.</summary>
    private static void TagSubject(Activity activity, WebhookEvent @event)
    {
        if (!@event.Payload.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object) return;
        if (data.TryGetProperty("job", out var job) && job.ValueKind == JsonValueKind.Object && job.TryGetProperty("id", out var jobId))
            activity.SetTag(JobQueue.JobIdTag, jobId.ToString());
        if (data.TryGetProperty("publication_id", out var publicationId))
            activity.SetTag(JobQueue.PublicationIdTag, publicationId.ToString());
    }

    private async Task<WebhookAttemptResult> SendAsync(WebhookDelivery delivery, WebhookEvent @event, WebhookEndpoint? signer, CancellationToken ct)
    {
        var check = guard.CheckSyntax(delivery.TargetUrl);
        if (!check.IsAllowed)
            return new(null, $"url not allowed: {check.Reason}");
        if (signer is null)
            return new(null, "no enabled webhook endpoint to sign the callback with");

        var now = time.GetUtcNow();
        var body = WebhookDeliveries.RenderBody(@event.Payload);
        var headers = WebhookSigner.Headers(delivery.Id.ToString(), now, body, WebhookSecrets.SigningSecrets(vault, signer, now));
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.TargetUrl)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignatureHeaders.IdHeader, headers.Id);
        request.Headers.Add(WebhookSignatureHeaders.TimestampHeader, headers.Timestamp);
        request.Headers.Add(WebhookSignatureHeaders.SignatureHeader, headers.Signature);
        try
        {
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            var retryAfter = WebhookRetrySchedule.ParseRetryAfter(response.Headers.RetryAfter, time.GetUtcNow());
            return new(code, response.IsSuccessStatusCode ? null : $"HTTP {code}", retryAfter);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(null, $"timeout after {_options.RequestTimeoutSeconds} s");
        }
        catch (HttpRequestException ex) when (FindInner<OutboundAddressForbiddenException>(ex) is not null)
        {
            return new(null, "address forbidden: the host resolves to an internal address");
        }
        catch (HttpRequestException ex)
        {
            var socket = FindInner<SocketException>(ex);
            return new(null, socket is not null ? $"connection failed: {socket.SocketErrorCode}" : $"request failed: {ex.HttpRequestError}");
        }
    }

    private async Task RecordAsync(OrbytDbContext db, WebhookDelivery delivery, WebhookEndpoint? endpoint, WebhookAttemptResult result, string? forcedOutcome, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        string outcome;
        if (forcedOutcome == WebhookOutcomes.EndpointDisabled)
        {
            delivery.Status = DeliveryStatuses.Failed;
            delivery.NextAttemptAt = null;
            delivery.CompletedAt = now;
            delivery.LastError = endpoint?.DisabledReason is { } reason ? $"endpoint disabled ({reason})" : "endpoint disabled";
            outcome = WebhookOutcomes.EndpointDisabled;
        }
        else
        {
            delivery.Attempts++;
            var decision = WebhookDeliveryPolicy.Decide(delivery.Attempts, result, now, schedule, Random.Shared.NextDouble());
            delivery.Status = decision.Status;
            delivery.NextAttemptAt = decision.NextAttemptAt;
            delivery.CompletedAt = decision.CompletedAt;
            delivery.LastResponseCode = result.StatusCode;
            delivery.LastError = result.Error;
            outcome = decision.Outcome;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another replica took the delivery over after our lease expired; its attempt is the one that counts.
            LogLeaseLost(logger, delivery.Id);
            db.Entry(delivery).State = EntityState.Detached;
            return;
        }

        WebhookTelemetry.Attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        LogAttempt(logger, delivery.Id, delivery.EndpointId, HostOf(delivery.TargetUrl), delivery.Attempts, result.StatusCode, outcome, result.Error);

        if (endpoint is null || forcedOutcome is not null)
            return;
        await UpdateEndpointHealthAsync(db, endpoint, outcome, now, ct);
    }

    private async Task UpdateEndpointHealthAsync(OrbytDbContext db, WebhookEndpoint endpoint, string outcome, DateTimeOffset now, CancellationToken ct)
    {
        if (outcome == WebhookOutcomes.Succeeded)
        {
            await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id && e.FailingSince != null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, (DateTimeOffset?)null), ct);
            return;
        }
        if (outcome == WebhookOutcomes.Gone)
        {
            await WebhookEndpointState.DisableAsync(db, endpoint.Id, WebhookDisabledReasons.Gone, now, ct);
            return;
        }
        await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id && e.FailingSince == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, now), ct);
        if (WebhookDeliveryPolicy.ShouldDisableForFailing(endpoint.FailingSince, now, _options.DisableAfterFailing))
            await WebhookEndpointState.DisableAsync(db, endpoint.Id, WebhookDisabledReasons.Failing, now, ct);
    }

    private static T? FindInner<T>(Exception ex) where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is T match) return match;
        return null;
    }

    /// <summary>Only the host is logged or traced: paths and query strings of customer URLs may carry secrets.</summary>
    private static string HostOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority : "invalid";

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {DeliveryId} to endpoint {EndpointId} at {Host}: attempt {Attempt} → {StatusCode}, {Outcome} {Error}")]
    private static partial void LogAttempt(ILogger logger, Guid deliveryId, Guid? endpointId, string host, int attempt, int? statusCode, string outcome, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {DeliveryId}: lease lost to another replica; this attempt's result was discarded.")]
    private static partial void LogLeaseLost(ILogger logger, Guid deliveryId);
}
