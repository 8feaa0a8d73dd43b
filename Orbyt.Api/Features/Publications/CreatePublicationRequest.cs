using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Jobs;

namespace Orbyt.Api.Features.Publications;

public sealed class CreatePublicationRequest
{
    public string UserId { get; set; } = "";
    public List<PublicationTarget> Targets { get; set; } = [];
    /// <summary>
    /// The media: one object, or a list of 1–10 (an Instagram carousel, a Facebook multi-photo post). The single
    /// object is the same as a list of one. Left out (or null): a post without media — a Facebook text or link post;
    /// every target must then be a Facebook Page.
    /// </summary>
    [JsonConverter(typeof(MediaListConverter))] public List<PublicationMedia>? Media { get; set; }
    /// <summary>The media items (none for a text or link post).</summary>
    [JsonIgnore] public IReadOnlyList<PublicationMedia> Items => Media ?? [];
    public string? Caption { get; set; }
    public string? Title { get; set; }
    public YouTubeOptionsRequest? Youtube { get; set; }
    public InstagramOptionsRequest? Instagram { get; set; }
    public FacebookOptionsRequest? Facebook { get; set; }
    /// <summary>
    /// A comment the account posts under its own post right after it is published (Facebook posts and Reels, Instagram
    /// feed posts and Reels; a story or YouTube target does not get it). At most 8,000 characters on Facebook, 2,200 on
    /// Instagram. A target's own first_comment wins. A comment that fails leaves the post published: see the job's
    /// result.first_comment.
    /// </summary>
    public string? FirstComment { get; set; }
    /// <summary>Optional https URL that receives this publication's job events, signed like webhooks.</summary>
    public string? CallbackUrl { get; set; }
    /// <summary>Your own reference, to find a publication whose create response you never received.</summary>
    public string? ClientReference { get; set; }
    /// <summary>
    /// Schedule the publication: when its posts go live, RFC 3339 with a UTC offset (e.g. 2026-12-24T09:00:00+01:00), in
    /// the future and at most a year ahead. A target's own publish_at wins. Without it, the posts go out at once.
    /// </summary>
    public string? PublishAt { get; set; }

    /// <summary>When the post to <paramref name="target"/> goes live; null: at once.</summary>
    public DateTimeOffset? PublishAtFor(PublicationTarget target) => PublishTime.Parse(target.PublishAt ?? PublishAt);
}

public sealed class CreatePublicationValidator : Validator<CreatePublicationRequest>
{
    private const string PublishAtRule = PublishTime.Rule;
    /// <summary>Instagram's carousel maximum; also the most photos a Facebook post takes here (reference §12.2, §13.2).</summary>
    public const int MaxMediaItems = 10;
    /// <summary>Instagram's alt_text limit (reference §13.5); Facebook's is undocumented.</summary>
    public const int MaxAltText = 1000;
    /// <summary>The longest facebook.link taken (Meta documents none; 2,000 is what browsers and crawlers reliably handle).</summary>
    public const int MaxLinkLength = 2000;

    public CreatePublicationValidator()
    {
        RuleFor(x => x.UserId).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Targets).NotEmpty().WithMessage("At least one target is required.")
            .Must(t => t.Count <= 20).WithMessage("At most 20 targets per publication.")
            .Must(t => t.Select(x => x.ConnectionId).Distinct().Count() == t.Count).WithMessage("Each connection may be targeted once.");
        RuleFor(x => x.Media).Must(m => m is null || m.Count > 0).WithMessage("media needs at least one item when sent; leave it out for a post without media.")
            .Must(m => m is null || m.Count <= MaxMediaItems).WithMessage($"media takes at most {MaxMediaItems} items.");
        RuleForEach(x => x.Media).ChildRules(m =>
        {
            m.RuleFor(x => x.Type).Must(t => t is MediaTypes.Image or MediaTypes.Video).WithMessage("media.type must be image or video.");
            m.RuleFor(x => x.Url).NotEmpty();
            m.RuleFor(x => x.AltText).MaximumLength(MaxAltText);
        });
        RuleFor(x => x.Caption).MaximumLength(PlatformRules.FacebookMessageMax);
        RuleFor(x => x.Facebook!.Link).MaximumLength(MaxLinkLength).When(x => x.Facebook is not null).OverridePropertyName("facebook.link");
        RuleFor(x => x.FirstComment).MaximumLength(PlatformRules.FacebookCommentMax);
        RuleForEach(x => x.Targets).ChildRules(t =>
        {
            t.RuleFor(x => x.FirstComment).MaximumLength(PlatformRules.FacebookCommentMax);
            t.RuleFor(x => x.Format).Must(f => f is null || ContentFormats.All.Contains(f))
                .WithMessage($"format must be one of {string.Join(", ", ContentFormats.All)}.");
            t.RuleFor(x => x.Caption).MaximumLength(PlatformRules.FacebookMessageMax);
            t.RuleFor(x => x.Facebook!.Link).MaximumLength(MaxLinkLength).When(x => x.Facebook is not null).OverridePropertyName("facebook.link");
            t.RuleFor(x => x.Youtube!.PrivacyStatus).Must(p => p is null or "public" or "unlisted" or "private")
                .When(x => x.Youtube is not null).WithMessage("youtube.privacy_status must be public, unlisted or private.").OverridePropertyName("youtube.privacy_status");
            t.RuleFor(x => x.Youtube!.Tags).Must(t => t is null || string.Join(',', t).Length <= 500)
                .When(x => x.Youtube is not null).WithMessage("youtube.tags may total at most 500 characters.").OverridePropertyName("youtube.tags");
            YouTubeExtraRules(t, x => x.Youtube);
            t.RuleFor(x => x.Instagram!.CoverUrl).NotEmpty().MaximumLength(4096).When(x => x.Instagram?.CoverUrl is not null).OverridePropertyName("instagram.cover_url");
            InstagramOptionRules(t, x => x.Instagram);
        });
        InstagramOptionRules(this, x => x.Instagram);
        YouTubeExtraRules(this, x => x.Youtube);
        RuleFor(x => x.Instagram!.CoverUrl).NotEmpty().MaximumLength(4096).When(x => x.Instagram?.CoverUrl is not null).OverridePropertyName("instagram.cover_url");
        // YouTube's own release and Orbyt's schedule are two ways to say when; one target takes one of them.
        RuleForEach(x => x.Targets).Must((request, target) => (target.Youtube ?? request.Youtube)?.PublishAt is null || (target.PublishAt ?? request.PublishAt) is null)
            .WithMessage("youtube.publish_at (YouTube's own release) and publish_at (Orbyt's schedule) cannot both apply to one target.")
            .OverridePropertyName("youtube.publish_at");
        RuleFor(x => x.ClientReference).MaximumLength(200);
        RuleFor(x => x.Youtube!.PrivacyStatus).Must(p => p is null or "public" or "unlisted" or "private")
            .When(x => x.Youtube is not null).WithMessage("youtube.privacy_status must be public, unlisted or private.").OverridePropertyName("youtube.privacy_status");
        RuleFor(x => x.PublishAt).Must(BeAFutureTime).When(x => x.PublishAt is not null).WithMessage(PublishAtRule);
        RuleForEach(x => x.Targets).Must(t => BeAFutureTime(t.PublishAt)).When(x => x.Targets.Any(t => t.PublishAt is not null))
            .WithMessage(PublishAtRule).OverridePropertyName("targets.publish_at");
        RuleFor(x => x.Youtube!.Tags).Must(t => t is null || string.Join(',', t).Length <= 500)
            .When(x => x.Youtube is not null).WithMessage("youtube.tags may total at most 500 characters.").OverridePropertyName("youtube.tags");
    }

    /// <summary>The rules of the YouTube options beyond the upload's own (reference §15.2–§15.5), for the publication's and each target's.</summary>
    private void YouTubeExtraRules<T>(AbstractValidator<T> v, System.Linq.Expressions.Expression<Func<T, YouTubeOptionsRequest?>> options)
    {
        var get = options.Compile();
        v.RuleFor(x => get(x)!.DefaultLanguage).Must(BeALanguageTag).When(x => get(x) is not null)
            .WithMessage("youtube.default_language must be a BCP-47 language tag such as en or pt-BR.").OverridePropertyName("youtube.default_language");
        v.RuleFor(x => get(x)!.DefaultAudioLanguage).Must(BeALanguageTag).When(x => get(x) is not null)
            .WithMessage("youtube.default_audio_language must be a BCP-47 language tag such as en or pt-BR.").OverridePropertyName("youtube.default_audio_language");
        v.RuleFor(x => get(x)!.PlaylistId).Matches(PlaylistIdPattern).When(x => get(x)?.PlaylistId is not null)
            .WithMessage("youtube.playlist_id must be a YouTube playlist id (letters, digits, - and _).").OverridePropertyName("youtube.playlist_id");
        v.RuleFor(x => get(x)!.ThumbnailUrl).NotEmpty().MaximumLength(4096).When(x => get(x)?.ThumbnailUrl is not null).OverridePropertyName("youtube.thumbnail_url");
        v.RuleFor(x => get(x)!.PublishAt).Must(BeAFutureTime).When(x => get(x)?.PublishAt is not null)
            .WithMessage(PublishAtRule).OverridePropertyName("youtube.publish_at");
    }

    /// <summary>
    /// What the request schema says of the Instagram options (reference §13.1, §13.4): refused before any rule, with the
    /// option's own catalog code rather than validation_failed (<c>WithErrorCode</c>; ProblemResults answers that code
    /// when every failure carries the same one). The rules that need the format or the file (thumb_offset: at least 0 and within the
    /// probed video, a 422) are in PlatformRules.
    /// </summary>
    private static void InstagramOptionRules<T>(AbstractValidator<T> v, System.Linq.Expressions.Expression<Func<T, InstagramOptionsRequest?>> options)
    {
        var get = options.Compile();
        var username = new System.Text.RegularExpressions.Regex(PlatformRules.InstagramUsernamePattern);
        v.RuleFor(x => get(x)!.Collaborators)
            .Must(c => c!.Count is >= 1 and <= PlatformRules.InstagramCollaboratorsMax && c.All(n => n is not null && username.IsMatch(n)) && c.Distinct().Count() == c.Count)
            .When(x => get(x)?.Collaborators is not null)
            .WithErrorCode(Orbyt.Core.Errors.ErrorCatalog.InstagramCollaboratorsInvalid.Code)
            .WithMessage($"instagram.collaborators takes 1–{PlatformRules.InstagramCollaboratorsMax} different usernames (letters, digits, periods and underscores, at most 30, without the @).")
            .OverridePropertyName("instagram.collaborators");
        v.RuleFor(x => get(x)!.LocationId).Matches(PlatformRules.InstagramLocationIdPattern).When(x => get(x)?.LocationId is not null)
            .WithErrorCode(Orbyt.Core.Errors.ErrorCatalog.InstagramLocationInvalid.Code)
            .WithMessage("instagram.location_id must be the numeric id of a Facebook Page with location data.").OverridePropertyName("instagram.location_id");
        v.RuleFor(x => get(x)!.UserTags)
            .Must(t => t!.Count is >= 1 and <= PlatformRules.InstagramUserTagsMax
                       && t.All(tag => tag is not null && username.IsMatch(tag.Username ?? "") && tag.X is null or (>= 0 and <= 1) && tag.Y is null or (>= 0 and <= 1)))
            .When(x => get(x)?.UserTags is not null)
            .WithErrorCode(Orbyt.Core.Errors.ErrorCatalog.InstagramUserTagsInvalid.Code)
            .WithMessage($"instagram.user_tags takes 1–{PlatformRules.InstagramUserTagsMax} tags, each a username (letters, digits, periods and underscores, at most 30, without the @) and x, y from 0 to 1 (fractions of the width and height, not pixels).")
            .OverridePropertyName("instagram.user_tags");
    }

    /// <summary>A BCP-47 tag as YouTube's i18nLanguages spell them (en, pt-BR, zh-Hant, es-419); at most <see cref="LanguageTagMax"/> characters.</summary>
    public const string LanguageTagPattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$";
    public const int LanguageTagMax = 35;
    /// <summary>A YouTube playlist id (PL…, letters, digits, - and _).</summary>
    public const string PlaylistIdPattern = "^[A-Za-z0-9_-]{2,64}$";

    /// <summary>Absent, or a BCP-47 tag (<see cref="LanguageTagPattern"/>).</summary>
    public static bool BeALanguageTag(string? tag) => tag is null || tag.Length <= LanguageTagMax && System.Text.RegularExpressions.Regex.IsMatch(tag, LanguageTagPattern);

    /// <summary>Absent, or a time with an offset after now and within <see cref="ScheduleOptions.MaxAhead"/>.</summary>
    private bool BeAFutureTime(string? value) =>
        value is null || PublishTime.IsSchedulable(value, Resolve<TimeProvider>().GetUtcNow(), Resolve<IOptions<ScheduleOptions>>().Value.MaxAhead);
}
