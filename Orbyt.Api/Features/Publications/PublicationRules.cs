using Microsoft.EntityFrameworkCore;
using Orbyt.Api.Features.Connections;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Media;
using Orbyt.Core.Security;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// The one rule set a publication is held against, by <c>POST /v1/publications</c> (which answers the first violation)
/// and by its dry run <c>POST /v1/publications/validate</c> (which lists them all, per target, with warnings). Order:
/// the callback URL; each target (this user's connection, the platform's rules for the caption, title and media type);
/// the media URL and the probe against each target platform's specification; the connections' status. Create checks
/// the status inside its write instead (<see cref="StatusViolationsAsync"/> names the culprit), so its common case stays
/// one round trip.
/// </summary>
public sealed class PublicationRules(
    OrbytDbContext db,
    ConnectionFacts connectionFacts,
    MediaChecks mediaChecks,
    IHostEnvironment environment,
    IConfiguration configuration,
    TimeProvider time)
{
    /// <summary>A caption or title using this share of its platform's limit is close enough to warn.</summary>
    public const double NearLimitShare = 0.9;
    /// <summary>Instagram shows Reels full screen at 9:16 (and a centre 1:1 on the profile grid, §13.4).</summary>
    public const double ReelRatio = 9.0 / 16.0;

    /// <summary>
    /// Holds <paramref name="req"/> against the rules. <paramref name="everything"/> false (create): stops at the first
    /// violation and leaves the status to the write. True (dry run): every rule, the status read, and the warnings.
    /// </summary>
    public async Task<PublicationVerdict> EvaluateAsync(Guid clientId, CreatePublicationRequest req, bool everything, CancellationToken ct)
    {
        var verdict = new PublicationVerdict();
        if (await CallbackUrlViolationAsync(req, ct) is { } callback)
        {
            verdict.Errors.Add(callback);
            verdict.InOrder.Add(callback);
            if (!everything) return verdict;
        }

        var ids = req.Targets.Select(t => t.ConnectionId).ToArray();
        var facts = await connectionFacts.GetAsync(db, clientId, req.UserId, ids, ct);
        foreach (var requested in req.Targets)
        {
            var id = requested.ConnectionId;
            var target = new TargetVerdict(id, facts.GetValueOrDefault(id)?.Platform);
            verdict.Targets.Add(target);
            // Each target's own content: the publication's media and text with the target's format and overrides.
            var violation = target.Platform is null
                ? new RuleViolation(ErrorCatalog.NotFound, $"Connection {id} does not exist for this user.")
                : PlatformRules.Check(PlatformRules.ContentOf(req, requested, target.Platform)) is { } rule
                    ? new RuleViolation(rule.Error, $"{rule.Detail} (connection {id}, {target.Platform})") : null;
            if (violation is null) continue;
            target.Errors.Add(violation);
            verdict.InOrder.Add(violation);
            if (!everything) return verdict;
        }

        if (await FirstCommentViolationsAsync(clientId, req, verdict, ct) is { Count: > 0 } comments)
        {
            foreach (var (target, violation) in comments)
            {
                if (target is null) verdict.Errors.Add(violation);
                else target.Errors.Add(violation);
                verdict.InOrder.Add(violation);
                if (!everything) return verdict;
            }
        }

        // After the targets: the media URL may need DNS and a probe, and a platform rule is the more useful answer. A
        // platform that already refuses the request (an image for YouTube) is not held against its file specification too.
        var platforms = verdict.Targets.Where(t => t.Platform is not null && t.Errors.Count == 0).Select(t => t.Platform!).Distinct().ToArray();
        var latestPublishAt = req.Targets.Select(req.PublishAtFor).Max();
        // Every media item is checked the same way; the findings shown are the first item's.
        MediaVerdict? media = null;
        foreach (var item in req.Items)
        {
            var itemVerdict = await mediaChecks.EvaluateAsync(item.Url, item.Type, platforms, ct, latestPublishAt);
            media ??= itemVerdict;
            verdict.Media = media;
            if (itemVerdict.UrlViolation is { } urlViolation)
            {
                verdict.Errors.Add(urlViolation);
                verdict.InOrder.Add(urlViolation);
                if (!everything) return verdict;
            }
            foreach (var platform in platforms)
            {
                if (itemVerdict.ByPlatform.GetValueOrDefault(platform) is not { } broken) continue;
                foreach (var target in verdict.Targets.Where(t => t.Platform == platform))
                    target.Errors.Add(broken);
                verdict.InOrder.Add(broken);
                if (!everything) return verdict;
            }
            // What a target's format adds to its platform's specification (a Facebook reel's 3–90 s and shape, a video story's 60 s).
            if (itemVerdict.Probe is not MediaProbeResult.Ready { Facts: var itemFacts }) continue;
            foreach (var (target, requested) in verdict.Targets.Zip(req.Targets))
            {
                if (target.Platform is null || target.Errors.Count > 0 || itemVerdict.ByPlatform.ContainsKey(target.Platform)) continue;
                var content = PlatformRules.ContentOf(req, requested, target.Platform);
                var format = content.Format;
                if ((MediaSpecs.Check(target.Platform, format, item.Type, itemFacts)
                    ?? (item.Type == MediaTypes.Video ? PlatformRules.CheckInstagramThumbOffset(content, itemFacts.Duration) : null)) is not { } broken) continue;
                var violation = new RuleViolation(broken.Error, $"{broken.Detail} ({target.Platform} {format}, connection {target.ConnectionId})");
                target.Errors.Add(violation);
                verdict.InOrder.Add(violation);
                if (!everything) return verdict;
            }
        }

        // A Reel's cover image: Meta fetches it, so it passes the media URL policy and the probe like media (§13.4).
        foreach (var (target, requested) in verdict.Targets.Zip(req.Targets).Where(t => t.First.Platform == PlatformNames.Instagram && t.First.Errors.Count == 0))
        {
            if (PlatformRules.ContentOf(req, requested, PlatformNames.Instagram).Raw("cover_url") is not { ValueKind: System.Text.Json.JsonValueKind.String } cover
                || await mediaChecks.CheckImageOptionAsync("instagram.cover_url", cover.GetString()!, ErrorCatalog.InstagramCoverInvalid, MediaSpecs.CheckInstagramCover, ct) is not { } broken)
                continue;
            var violation = broken with { Detail = $"{broken.Detail} (connection {target.ConnectionId}, instagram)" };
            target.Errors.Add(violation);
            verdict.InOrder.Add(violation);
            if (!everything) return verdict;
        }

        // YouTube's steps after the upload: the thumbnail's URL and file, the playlist's scope on the connection.
        foreach (var (target, requested) in verdict.Targets.Zip(req.Targets).Where(t => t.First.Platform == PlatformNames.YouTube && t.First.Errors.Count == 0))
        {
            if (await YouTubeExtrasViolationAsync(clientId, PlatformRules.ContentOf(req, requested, PlatformNames.YouTube), target.ConnectionId, ct) is not { } extra)
                continue;
            var violation = extra with { Detail = $"{extra.Detail} (connection {target.ConnectionId}, youtube)" };
            target.Errors.Add(violation);
            verdict.InOrder.Add(violation);
            if (!everything) return verdict;
        }

        if (everything)
        {
            foreach (var (id, violation) in await StatusViolationsAsync(clientId, req.UserId, verdict.Platforms.Keys, ct))
            {
                verdict.Targets.Single(t => t.ConnectionId == id).Errors.Add(violation);
                verdict.InOrder.Add(violation);
            }
            foreach (var (target, requested) in verdict.Targets.Zip(req.Targets).Where(t => t.First.Platform is not null))
                target.Warnings.AddRange(Warnings(PlatformRules.ContentOf(req, requested, target.Platform!), media));
        }
        return verdict;
    }

    /// <summary>
    /// A YouTube target's playlist needs a connection granted youtube.force-ssl (or youtube / youtubepartner; §15.3:
    /// youtube.upload is not enough), and its thumbnail URL must pass the media policy and the thumbnail's specification.
    /// </summary>
    private async Task<RuleViolation?> YouTubeExtrasViolationAsync(Guid clientId, TargetContent content, Guid connectionId, CancellationToken ct)
    {
        if (content.Raw("playlist_id").ValueKind == System.Text.Json.JsonValueKind.String)
        {
            var scopes = await db.Connections.AsNoTracking().Where(c => c.Id == connectionId && c.ClientId == clientId).Select(c => c.Scopes).FirstOrDefaultAsync(ct);
            if (scopes is not null && !Connections.PlatformScopes.CanManagePlaylists(scopes))
                return new RuleViolation(ErrorCatalog.YouTubePlaylistScopeMissing,
                    "youtube.playlist_id needs the youtube.force-ssl scope; connect the account again with features [\"youtube_playlists\"].");
        }
        if (content.Raw("thumbnail_url") is { ValueKind: System.Text.Json.JsonValueKind.String } thumbnail)
            return await mediaChecks.CheckImageOptionAsync("youtube.thumbnail_url", thumbnail.GetString()!, ErrorCatalog.ThumbnailInvalid, MediaSpecs.CheckYouTubeThumbnail, ct);
        return null;
    }

    /// <summary>
    /// The first comment's rules beyond each target's text: a publication's <c>first_comment</c> that no target can take
    /// (all stories or YouTube) is refused rather than dropped; and a target that gets one must have been connected with
    /// the comment permission (Facebook pages_manage_engagement §12.6, Instagram instagram_manage_comments §13.6,
    /// Instagram Login instagram_business_manage_comments). The scopes are read only when a first comment is asked for.
    /// </summary>
    private async Task<List<(TargetVerdict? Target, RuleViolation Violation)>> FirstCommentViolationsAsync(
        Guid clientId, CreatePublicationRequest req, PublicationVerdict verdict, CancellationToken ct)
    {
        var violations = new List<(TargetVerdict?, RuleViolation)>();
        var commented = verdict.Targets.Zip(req.Targets)
            .Where(t => t.First.Platform is not null && t.First.Errors.Count == 0)
            .Select(t => (Verdict: t.First, Content: PlatformRules.ContentOf(req, t.Second, t.First.Platform!)))
            .Where(t => t.Content.FirstComment is not null)
            .ToList();
        if (req.FirstComment is not null && commented.Count == 0 && verdict.Targets.All(t => t.Platform is not null && t.Errors.Count == 0))
        {
            violations.Add((null, new RuleViolation(ErrorCatalog.FirstCommentNotSupported,
                "first_comment is set, but none of the targets takes comments (stories and YouTube videos do not).")));
        }
        if (commented.Count == 0)
            return violations;

        var ids = commented.Select(t => t.Verdict.ConnectionId).ToArray();
        var granted = await db.Connections.AsNoTracking().OwnedBy(clientId, req.UserId).Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Platform, c.Login, c.Scopes }).ToDictionaryAsync(c => c.Id, ct);
        foreach (var (target, _) in commented)
        {
            if (!granted.TryGetValue(target.ConnectionId, out var connection))
                continue;
            var needed = PlatformScopes.Comment(connection.Platform, connection.Login);
            if (needed is not null && !connection.Scopes.Contains(needed))
                violations.Add((target, new RuleViolation(ErrorCatalog.FirstCommentPermissionMissing,
                    $"Connection {target.ConnectionId} ({connection.Platform}) was connected without {needed}; reconnect it and grant the permission.")));
        }
        return violations;
    }

    /// <summary>The targets among <paramref name="ids"/> that are not active, with why; a missing one is not_found.</summary>
    public async Task<List<(Guid Id, RuleViolation Violation)>> StatusViolationsAsync(Guid clientId, string userId, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.ToArray();
        var statuses = await db.Connections.AsNoTracking().OwnedBy(clientId, userId).Where(c => wanted.Contains(c.Id))
            .Select(c => new { c.Id, c.Status }).ToDictionaryAsync(c => c.Id, c => c.Status, ct);
        var violations = new List<(Guid, RuleViolation)>();
        foreach (var id in wanted)
        {
            if (!statuses.TryGetValue(id, out var status))
                violations.Add((id, new RuleViolation(ErrorCatalog.NotFound, $"Connection {id} does not exist for this user.")));
            else if (status != ConnectionStatuses.Active)
                violations.Add((id, new RuleViolation(status == ConnectionStatuses.Revoked ? ErrorCatalog.ConnectionRevoked : ErrorCatalog.ConnectionNotActive,
                    $"Connection {id} is {status}.")));
        }
        return violations;
    }

    private async Task<RuleViolation?> CallbackUrlViolationAsync(CreatePublicationRequest req, CancellationToken ct)
    {
        if (req.CallbackUrl is null)
            return null;
        var allowHttp = environment.IsDevelopment() ? configuration.GetSection("Orbyt:Webhooks:AllowHttpHosts").Get<string[]>() ?? ["localhost", "127.0.0.1"] : [];
        var check = await new OutboundUrlGuard(allowHttp).CheckAsync(req.CallbackUrl, ct);
        return check.IsAllowed ? null : new RuleViolation(ErrorCatalog.CallbackUrlInvalid, $"callback_url is not allowed: {check.Reason}.");
    }

    /// <summary>What the dry run points out for one target without refusing it.</summary>
    private IEnumerable<RuleWarning> Warnings(TargetContent content, MediaVerdict? media)
    {
        var platform = content.Platform;
        var captionLimit = platform switch
        {
            PlatformNames.Instagram => PlatformRules.InstagramCaptionMax,
            PlatformNames.YouTube => PlatformRules.YouTubeDescriptionMax,
            _ => PlatformRules.FacebookMessageMax,
        };
        if (content.Caption is { Length: var length } && length >= captionLimit * NearLimitShare && length <= captionLimit)
            yield return new RuleWarning(RuleWarning.CaptionNearLimit, $"The caption has {length} of the {captionLimit} characters {platform} allows.");
        if (platform == PlatformNames.YouTube && content.Title is { Length: var titleLength } && titleLength >= PlatformRules.YouTubeTitleMax * NearLimitShare && titleLength <= PlatformRules.YouTubeTitleMax)
            yield return new RuleWarning(RuleWarning.TitleNearLimit, $"The title has {titleLength} of the {PlatformRules.YouTubeTitleMax} characters YouTube allows.");
        // A post without media has no file to warn about.
        if (media is null)
            yield break;

        if (media.UrlExpiresAt is { } expires && media.UrlViolation is null && expires < time.GetUtcNow() + 2 * mediaChecks.Options.MinSignedUrlLifetime)
            yield return new RuleWarning(RuleWarning.MediaUrlExpiresSoon,
                $"The media URL's token expires at {expires:O}: a job that waits for the file, a budget or a retry may outlive it. Sign it for longer.");

        if (media.Probe is MediaProbeResult.NotReady)
            yield return new RuleWarning(RuleWarning.MediaNotReady, "The file answers 404 (a Mux rendition not made yet): the job waits for it in stage downloading, then fails with media_not_ready.");
        else if (media.ProbeTimedOut || media.Probe is MediaProbeResult.Failed)
            yield return new RuleWarning(RuleWarning.MediaNotProbed, "The file could not be probed in time; the Uploader probes it again before any platform call.");

        if (platform == PlatformNames.Instagram && content.Format == ContentFormats.Reels && media.Facts?.AspectRatio is { } ratio && Math.Abs(ratio - ReelRatio) > 0.01)
            yield return new RuleWarning(RuleWarning.MediaWillBeCropped,
                $"Instagram shows Reels at 9:16 and a centre 1:1 on the profile grid; this {media.Facts.Width}×{media.Facts.Height} video will be cropped or letterboxed.");
    }
}
