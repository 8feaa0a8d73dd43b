using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;
using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Publications;

public sealed class CreatePublicationRequest
{
    public string UserId { get; set; } = "";
    public List<PublicationTarget> Targets { get; set; } = [];
    [JsonRequired] public PublicationMedia Media { get; set; } = new();
    public string? Caption { get; set; }
    public string? Title { get; set; }
    public YouTubeOptionsRequest? Youtube { get; set; }
    public InstagramOptionsRequest? Instagram { get; set; }
    /// <summary>Optional https URL that receives this publication's job events, signed like webhooks.</summary>
    public string? CallbackUrl { get; set; }
    /// <summary>Your own reference, to find a publication whose create response you never received.</summary>
    public string? ClientReference { get; set; }
}

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
        RuleFor(x => x.Caption).MaximumLength(PlatformRules.FacebookMessageMax);
        RuleFor(x => x.ClientReference).MaximumLength(200);
        RuleFor(x => x.Youtube!.PrivacyStatus).Must(p => p is null or "public" or "unlisted" or "private")
            .When(x => x.Youtube is not null).WithMessage("youtube.privacy_status must be public, unlisted or private.").OverridePropertyName("youtube.privacy_status");
        RuleFor(x => x.Youtube!.Tags).Must(t => t is null || string.Join(',', t).Length <= 500)
            .When(x => x.Youtube is not null).WithMessage("youtube.tags may total at most 500 characters.").OverridePropertyName("youtube.tags");
    }
}
