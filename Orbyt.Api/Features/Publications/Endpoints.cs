using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastEndpoints;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Media;
using Orbyt.Core.Security;
using Orbyt.Core.Vault;
using StackExchange.Redis;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// POST /v1/publications: holds the request against <see cref="PublicationRules"/> before anything is queued, writes the publication
/// and one job per target in one statement (<see cref="PublicationWriteStatement"/>, committed together with concurrent
/// requests' writes by <see cref="PublicationWriter"/>), then rings the queue. Answers 202 with the jobs, after the commit.
/// The common case costs one share of a PostgreSQL round trip: the API key and the targets' fixed facts come from
/// short-lived caches, and the targets' status is checked inside the write.
/// </summary>
public sealed partial class CreatePublicationEndpoint(
    PublicationRules rules,
    PublicationWriter writer,
    IOptions<ScheduleOptions> schedule,
    ITokenVault vault,
    IdempotencyStore idempotency,
    IConnectionMultiplexer redis,
    TimeProvider time,
    ILogger<CreatePublicationEndpoint> logger) : Endpoint<CreatePublicationRequest, PublicationResponse>
{
    public const string IdempotencyHeader = "Idempotency-Key";
    private const string Operation = "POST /v1/publications";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public override void Configure()
    {
        Post("/v1/publications");
        Description(d => d.WithTags("Publications")
            .WithMetadata(new AcceptsIdempotencyKey())
            .ClearDefaultProduces(200)
            .Produces<PublicationResponse>(202, "application/json")
            .Produces<ProblemDocument>(400, ProblemResults.ContentType)
            .Produces<ProblemDocument>(404, ProblemResults.ContentType)
            .Produces<ProblemDocument>(409, ProblemResults.ContentType)
            .Produces<ProblemDocument>(422, ProblemResults.ContentType));
        Summary(s =>
        {
            s.Summary = "Publish images, a video, or text and a link to one or more connections";
            s.Description = "Asynchronous: answers 202 with one job per target. Send an Idempotency-Key header to make retries safe (same key + same body replays the first response for 24 h).";
        });
    }

    public override async Task HandleAsync(CreatePublicationRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var claim = ClaimIdempotencyKey(req);
        var verdict = await rules.EvaluateAsync(clientId, req, everything: false, ct);
        if (verdict.FirstError is { } broken)
            throw broken.ToException();

        var publication = NewPublication(clientId, req, verdict.Platforms);
        var response = JsonSerializer.Serialize(PublicationResponse.From(publication), Json);
        if (await WriteAsync(clientId, req, publication, response, claim, ct) is { } replay)
        {
            await ReplayAsync(replay, ct);
            return;
        }
        await EnqueueAsync(publication);
        await AcceptedAsync(req, publication, response, ct);
    }

    /// <summary>The Idempotency-Key header with a hash of the body it came with; null without the header.</summary>
    private IdempotencyClaim? ClaimIdempotencyKey(CreatePublicationRequest req) =>
        HttpContext.Request.Headers.TryGetValue(IdempotencyHeader, out var keyValues)
            ? IdempotencyStore.Claim(keyValues.ToString(), Operation, JsonSerializer.SerializeToUtf8Bytes(req, Json))
            : null;

    /// <summary>
    /// The publication with one job per target, all stamped with the same time: queued, or — with a publish_at —
    /// scheduled for release at that time less the platform's lead, with its pre-flight check due before that.
    /// </summary>
    private Publication NewPublication(Guid clientId, CreatePublicationRequest req, Dictionary<Guid, string> platforms)
    {
        var now = time.GetUtcNow();
        // A post without media stores the type "none" and no URL (publications.media_type/media_url stay NOT NULL).
        var first = req.Items.Count > 0 ? req.Items[0] : new PublicationMedia { Type = MediaTypes.None, Url = "" };
        var urls = req.Items.Select(m => m.Url).ToArray();
        var publication = new Publication
        {
            Id = Guid.CreateVersion7(now),
            ClientId = clientId,
            UserId = req.UserId,
            MediaType = first.Type,
            // A signed URL's query is a secret: shown and stored redacted, sealed whole for the Uploader (several items'
            // URLs sealed together as one list).
            MediaUrl = SignedMediaUrl.Redact(first.Url),
            MediaUrlSealed = !urls.Any(SignedMediaUrl.HasSecret) ? null
                : vault.Protect(urls.Length == 1 ? first.Url : TargetContent.SealList(urls), VaultPurposes.MediaUrl),
            Caption = req.Caption,
            Title = req.Title,
            Options = OptionsOf(req),
            CallbackUrl = req.CallbackUrl,
            ClientReference = req.ClientReference,
            CreatedAt = now,
        };
        foreach (var target in req.Targets)
        {
            var job = new Job
            {
                Id = Guid.CreateVersion7(now),
                PublicationId = publication.Id,
                ConnectionId = target.ConnectionId,
                ClientId = clientId,
                UserId = req.UserId,
                Platform = platforms[target.ConnectionId],
                Status = JobStatuses.Queued,
                NextAttemptAt = now,
                EnqueuedAt = now,
                TraceParent = Activity.Current?.Id,
                CreatedAt = now,
                UpdatedAt = now,
            };
            if (req.PublishAtFor(target) is { } publishAt)
                JobSchedule.Schedule(job, publication, publishAt, schedule.Value, now);
            publication.Jobs.Add(job);
        }
        return publication;
    }

    /// <summary>
    /// The publication's options as stored and shown: the platform options, the media list (when it is more than the
    /// one item <c>media</c> shows, or carries alt text; URLs redacted) and each target's overrides by connection id —
    /// read back per target by <see cref="TargetContent.Read"/>.
    /// </summary>
    private static JsonDocument OptionsOf(CreatePublicationRequest req)
    {
        var options = new JsonObject
        {
            ["youtube"] = JsonSerializer.SerializeToNode(req.Youtube, Json),
            ["instagram"] = JsonSerializer.SerializeToNode(req.Instagram, Json),
            ["facebook"] = JsonSerializer.SerializeToNode(req.Facebook, Json),
        };
        if (req.FirstComment is not null)
            options[TargetContent.FirstCommentKey] = req.FirstComment;
        if (req.Items.Count > 1 || req.Items.Any(m => m.AltText is not null))
        {
            options[TargetContent.MediaKey] = new JsonArray(req.Items.Select(m => (JsonNode)new JsonObject
            {
                ["type"] = m.Type, ["url"] = SignedMediaUrl.Redact(m.Url), ["alt_text"] = m.AltText,
            }).ToArray());
        }
        var targets = new JsonObject();
        foreach (var t in req.Targets)
        {
            if (TargetContent.Overrides(t.Format, t.Caption, t.Title,
                    [("youtube", JsonSerializer.SerializeToNode(t.Youtube, Json)), ("instagram", JsonSerializer.SerializeToNode(t.Instagram, Json)),
                     ("facebook", JsonSerializer.SerializeToNode(t.Facebook, Json))], t.FirstComment) is { } overrides)
                targets[t.ConnectionId.ToString()] = overrides;
        }
        if (targets.Count > 0)
            options[TargetContent.TargetsKey] = targets;
        return JsonSerializer.SerializeToDocument(options, Json);
    }

    /// <summary>
    /// Writes the publication, its jobs and the key's record (with <paramref name="response"/>) in one statement.
    /// Returns null once written, or the first response to a key that was used before.
    /// </summary>
    private async Task<IdempotentReplay?> WriteAsync(
        Guid clientId, CreatePublicationRequest req, Publication publication, string response, IdempotencyClaim? claim, CancellationToken ct)
    {
        // Twice at most: a first attempt can find a target no longer active (the check below names it, or it became
        // active again) or a stale key record (removed, so the second attempt writes).
        for (var attempt = 1; ; attempt++)
        {
            var result = await writer.WriteAsync(publication, response, claim, ct);
            if (result == PublicationWriteResult.Written)
                return null;
            if (result == PublicationWriteResult.KeyInUse)
                throw new ApiProblemException(ErrorCatalog.IdempotencyKeyInUse);
            // A key used before is answered as it was the first time, whatever the targets' state is now.
            if (claim is not null && await idempotency.ExistingAsync(clientId, claim, ct) is { } replay)
                return replay;
            if (result == PublicationWriteResult.ConnectionsNotActive)
                await CheckStatusAsync(clientId, req, ct);
            if (attempt == 2)
                throw new ApiProblemException(ErrorCatalog.ConnectionNotActive, "A target connection changed while the publication was written; retry.");
        }
    }

    /// <summary>The write found a target not active: name it. Returns if all are active again.</summary>
    private async Task CheckStatusAsync(Guid clientId, CreatePublicationRequest req, CancellationToken ct)
    {
        var violations = await rules.StatusViolationsAsync(clientId, req.UserId, req.Targets.Select(t => t.ConnectionId), ct);
        if (violations.Count > 0)
            throw violations[0].Violation.ToException();
    }

    private async Task ReplayAsync(IdempotentReplay replay, CancellationToken ct)
    {
        HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        await Send.StringAsync(replay.Body, replay.Status, "application/json", ct);
    }

    private async Task EnqueueAsync(Publication publication)
    {
        try
        {
            // Scheduled jobs get their entry from the Uploader's scheduler when their release time comes.
            await JobQueue.EnqueueAsync(redis.GetDatabase(), publication.Jobs.Where(j => j.Status == JobStatuses.Queued).Select(j => j.Id));
        }
        catch (RedisException ex)
        {
            // The jobs are committed; the Uploader's reconciler adds their entries once Redis answers again.
            LogEnqueueDeferred(logger, publication.Id, ex.GetType().Name);
        }
    }

    private async Task AcceptedAsync(CreatePublicationRequest req, Publication publication, string response, CancellationToken ct)
    {
        HttpContext.Response.Headers.Location = $"/v1/publications/{publication.Id}?user_id={Uri.EscapeDataString(req.UserId)}";
        await Send.StringAsync(response, 202, "application/json", ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publication {PublicationId} committed but not enqueued ({ErrorType}); the reconciler will enqueue it.")]
    private static partial void LogEnqueueDeferred(ILogger logger, Guid publicationId, string errorType);
}

public sealed class GetPublicationEndpoint(OrbytDbContext db) : Endpoint<GetPublicationRequest, PublicationResponse>
{
    public override void Configure()
    {
        Get("/v1/publications/{id}");
        Description(d => d.WithTags("Publications").Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s => s.Summary = "Get a publication with its jobs");
    }

    public override async Task HandleAsync(GetPublicationRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var publication = await db.Publications.AsNoTracking().Include(p => p.Jobs)
            .OwnedBy(clientId, req.UserId).SingleOrDefaultAsync(p => p.Id == req.Id, ct)
            ?? throw new ApiProblemException(ErrorCatalog.NotFound);
        await Send.OkAsync(PublicationResponse.From(publication), ct);
    }
}

/// <summary>Lists a user's publications, newest first; filter by client_reference to find one whose create response was lost.</summary>
public sealed class ListPublicationsEndpoint(OrbytDbContext db) : Endpoint<ListPublicationsRequest, PublicationListResponse>
{
    public override void Configure()
    {
        Get("/v1/publications");
        Description(d => d.WithTags("Publications"));
        Summary(s => s.Summary = "List publications (filter by client_reference)");
    }

    public override async Task HandleAsync(ListPublicationsRequest req, CancellationToken ct)
    {
        var query = db.Publications.AsNoTracking().Include(p => p.Jobs).OwnedBy(User.ClientId(), req.UserId);
        if (!string.IsNullOrEmpty(req.ClientReference)) query = query.Where(p => p.ClientReference == req.ClientReference);
        var rows = await query.OrderByDescending(p => p.CreatedAt).Take(Math.Clamp(req.Limit ?? 20, 1, 100)).ToListAsync(ct);
        await Send.OkAsync(new PublicationListResponse(rows.Select(PublicationResponse.From).ToArray()), ct);
    }
}
