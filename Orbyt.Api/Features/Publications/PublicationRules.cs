using System.Text.RegularExpressions;
using FastEndpoints;
using FluentValidation;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Publications;

public sealed class CreatePublicationValidator : Validator<CreatePublicationRequest>
{
    public CreatePublicationValidator()
    {
        RuleFor(x => x.UserId).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Targets).NotEmpty().WithMessage("At least one target is required.")
            .Must(t => t.Count <= 20).WithMessage("At most 20 targets per publication.")
            .Must(t => t.Select(x => x.ConnectionId).Distinct().Count() == t.Count).WithMessage("Each connection may be targeted once.");
        RuleFor(x => x.Media.Type).Must(t => t is MediaTypes.Image or MediaTypes.Video).WithMessage("media.type must be image or video.").OverridePropertyName("media.type");
        RuleFor(x => x.Media.Url).NotEmpty().OverridePropertyName("media.url");
        RuleFor(x => x.Caption).MaximumLength(63_206);
        RuleFor(x => x.ClientReference).MaximumLength(200);
        RuleFor(x => x.Youtube!.PrivacyStatus).Must(p => p is null or "public" or "unlisted" or "private")
            .When(x => x.Youtube is not null).WithMessage("youtube.privacy_status must be public, unlisted or private.").OverridePropertyName("youtube.privacy_status");
        RuleFor(x => x.Youtube!.Tags).Must(t => t is null || string.Join(',', t).Length <= 500)
            .When(x => x.Youtube is not null).WithMessage("youtube.tags may total at most 500 characters.").OverridePropertyName("youtube.tags");
    }
}

/// <summary>What each platform accepts, checked before anything is queued (platform-apis.md §2.2, §3.2, §3.7, §6.3, §6.9).</summary>
public static partial class PlatformRules
{
    public const int InstagramCaptionMax = 2200;
    public const int InstagramHashtagsMax = 30;
    public const int InstagramMentionsMax = 20;

    /// <summary>The first rule a target breaks, or null.</summary>
    public static (ErrorDefinition Error, string Detail)? Check(string platform, CreatePublicationRequest request)
    {
        var media = request.Media;
        switch (platform)
        {
            case PlatformNames.YouTube:
                if (media.Type != MediaTypes.Video)
                    return (ErrorCatalog.MediaTypeNotSupportedByPlatform, "YouTube accepts only videos; the Data API has no image posts.");
                if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 100 || request.Title.IndexOfAny(['<', '>']) >= 0)
                    return (ErrorCatalog.TitleRequired, "YouTube needs a title of 1–100 characters without < or >.");
                if (request.Caption is { Length: > 5000 })
                    return (ErrorCatalog.CaptionInvalid, "YouTube descriptions allow at most 5,000 characters.");
                break;
            case PlatformNames.Instagram:
                if (media.Type == MediaTypes.Image && !LooksLikeJpeg(media.Url))
                    return (ErrorCatalog.MediaUnsupportedFormat, "Instagram images must be JPEG (a URL ending in .jpg or .jpeg).");
                if (request.Caption is { } caption)
                {
                    if (caption.Length > InstagramCaptionMax)
                        return (ErrorCatalog.CaptionInvalid, $"Instagram captions allow at most {InstagramCaptionMax} characters.");
                    if (Hashtag().Count(caption) > InstagramHashtagsMax)
                        return (ErrorCatalog.CaptionInvalid, $"Instagram captions allow at most {InstagramHashtagsMax} hashtags.");
                    if (Mention().Count(caption) > InstagramMentionsMax)
                        return (ErrorCatalog.CaptionInvalid, $"Instagram captions allow at most {InstagramMentionsMax} @-mentions.");
                }
                break;
        }
        return null;
    }

    private static bool LooksLikeJpeg(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.AbsolutePath.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || uri.AbsolutePath.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"(?<!\w)#\w+")]
    private static partial Regex Hashtag();

    [GeneratedRegex(@"(?<!\w)@[\w.]+")]
    private static partial Regex Mention();
}
