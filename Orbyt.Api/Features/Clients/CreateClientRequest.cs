using FastEndpoints;
using FluentValidation;

namespace Orbyt.Api.Features.Clients;

public sealed class CreateClientRequest
{
    public string Name { get; set; } = "";
    public List<string> AllowedReturnUrls { get; set; } = [];
    /// <summary>Requests per minute this client may make; omitted = the service default (Orbyt:ApiRateLimit).</summary>
    public int? RequestsPerMinute { get; set; }
}

public sealed class CreateClientValidator : Validator<CreateClientRequest>
{
    public CreateClientValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.RequestsPerMinute).InclusiveBetween(1, 1_000_000);
        RuleForEach(x => x.AllowedReturnUrls).Must(ReturnUrls.IsValidPrefix)
            .WithMessage("Each allowed return URL must be an absolute http(s) URL with a path ending in '/', without query or fragment.");
    }
}
