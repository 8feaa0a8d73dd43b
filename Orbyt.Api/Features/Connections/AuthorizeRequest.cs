using FastEndpoints;
using FluentValidation;

namespace Orbyt.Api.Features.Connections;

public sealed class AuthorizeRequest
{
    /// <summary>facebook, instagram or youtube.</summary>
    public string Platform { get; set; } = "";
    /// <summary>Orbyt's opaque id of the end user.</summary>
    public string UserId { get; set; } = "";
    /// <summary>Where the browser returns after consent; must match the client's allowed return URLs.</summary>
    public string ReturnUrl { get; set; } = "";
    /// <summary>
    /// How to log in. instagram: facebook (default; Facebook Login, the account must be linked to a Facebook Page the
    /// person manages) or instagram (Instagram Login; any Instagram professional account, no Page needed). facebook:
    /// facebook. youtube: google.
    /// </summary>
    public string? Login { get; set; }
    /// <summary>
    /// Optional permissions beyond publishing, asked only when listed. youtube_playlists (youtube only): also asks for
    /// the youtube.force-ssl scope, so publications may add the video to a playlist (youtube.playlist_id).
    /// </summary>
    public List<string>? Features { get; set; }
}

/// <summary>The optional features a connection can be asked for at connect time.</summary>
public static class ConnectionFeatures
{
    public const string YouTubePlaylists = "youtube_playlists";

    public static readonly string[] All = [YouTubePlaylists];
}

public sealed class AuthorizeValidator : Validator<AuthorizeRequest>
{
    public AuthorizeValidator()
    {
        RuleFor(x => x.UserId).NotEmpty().MaximumLength(200);
        RuleFor(x => x.ReturnUrl).NotEmpty().MaximumLength(2048);
        RuleFor(x => x.Login).Must((request, login) => login is null || Core.Data.ConnectionLogins.For(request.Platform).Contains(login))
            .WithMessage(request => $"login must be one of {string.Join(", ", Core.Data.ConnectionLogins.For(request.Platform))} for {request.Platform}.");
        RuleForEach(x => x.Features).Must((request, feature) => ConnectionFeatures.All.Contains(feature) && request.Platform == Core.Data.PlatformNames.YouTube)
            .WithMessage($"features may contain {string.Join(", ", ConnectionFeatures.All)}, for youtube only.");
    }
}
