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
}

public sealed class AuthorizeValidator : Validator<AuthorizeRequest>
{
    public AuthorizeValidator()
    {
        RuleFor(x => x.UserId).NotEmpty().MaximumLength(200);
        RuleFor(x => x.ReturnUrl).NotEmpty().MaximumLength(2048);
    }
}
