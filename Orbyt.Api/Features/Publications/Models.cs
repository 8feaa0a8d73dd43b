using System.Text.Json;
using Orbyt.Api.Features.Jobs;
using Orbyt.Core.Jobs;
using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Publications;

public sealed class PublicationTarget
{
    public Guid ConnectionId { get; set; }
}

public sealed class PublicationMedia
{
    /// <summary>image or video.</summary>
    public string Type { get; set; } = "";
    /// <summary>https URL of the file (a Mux MP4 URL such as https://stream.mux.com/{playback_id}/highest.mp4 for videos).</summary>
    public string Url { get; set; } = "";
}

public sealed class YouTubeOptionsRequest
{
    /// <summary>public, unlisted or private (default private).</summary>
    public string? PrivacyStatus { get; set; }
    public List<string>? Tags { get; set; }
    public string? CategoryId { get; set; }
    public bool? MadeForKids { get; set; }
    /// <summary>Default false: do not notify subscribers.</summary>
    public bool? NotifySubscribers { get; set; }
}

public sealed class InstagramOptionsRequest
{
    /// <summary>Reels only: also show in the feed (default true).</summary>
    public bool? ShareToFeed { get; set; }
}

public sealed class CreatePublicationRequest
{
    public string UserId { get; set; } = "";
    public List<PublicationTarget> Targets { get; set; } = [];
    public PublicationMedia Media { get; set; } = new();
    public string? Caption { get; set; }
    public string? Title { get; set; }
    public YouTubeOptionsRequest? Youtube { get; set; }
    public InstagramOptionsRequest? Instagram { get; set; }
    /// <summary>Optional https URL that receives this publication's job events, signed like webhooks.</summary>
    public string? CallbackUrl { get; set; }
    /// <summary>Your own reference, to find a publication whose create response you never received.</summary>
    public string? ClientReference { get; set; }
}

public sealed record MediaResponse(string Type, string Url);

public sealed record PublicationResponse(
    Guid Id,
    string UserId,
    string Status,
    MediaResponse Media,
    string? Caption,
    string? Title,
    JsonElement? Options,
    string? CallbackUrl,
    string? ClientReference,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<JobResponse> Jobs)
{
    public static PublicationResponse From(Publication p) => new(
        p.Id, p.UserId, StatusOf(p.Jobs), new MediaResponse(p.MediaType, p.MediaUrl), p.Caption, p.Title,
        p.Options?.RootElement.Clone(), p.CallbackUrl, p.ClientReference, p.CreatedAt, p.CompletedAt,
        p.Jobs.OrderBy(j => j.CreatedAt).ThenBy(j => j.Id).Select(JobResponse.From).ToArray());

    /// <summary>pending while any job is not terminal; then published, failed, or partially_published.</summary>
    public static string StatusOf(IReadOnlyCollection<Job> jobs)
    {
        if (jobs.Any(j => j.Status is JobStatuses.Queued or JobStatuses.Processing)) return "pending";
        var published = jobs.Count(j => j.Status == JobStatuses.Published);
        return published == jobs.Count ? "published" : published == 0 ? (jobs.All(j => j.Status == JobStatuses.Cancelled) ? "cancelled" : "failed") : "partially_published";
    }
}

public sealed record PublicationListResponse(IReadOnlyList<PublicationResponse> Data);
