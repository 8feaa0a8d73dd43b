using FastEndpoints;
using FluentValidation;

namespace Orbyt.Api.Features.Clients;

public sealed class UpdateCurrentClientRequest
{
    /// <summary>Prefixes a connection's return_url must start with, e.g. https://app.orbyt.example/connections/.</summary>
    public List<string>? AllowedReturnUrls { get; set; }
}

public sealed class UpdateCurrentClientValidator : Validator<UpdateCurrentClientRequest>
{
    public UpdateCurrentClientValidator()
    {
        RuleForEach(x => x.AllowedReturnUrls).Must(ReturnUrls.IsValidPrefix)
            .WithMessage("Each allowed return URL must be an absolute http(s) URL with a path ending in '/', without query or fragment.");
    }
}
