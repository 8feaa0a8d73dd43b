using FastEndpoints;
using FluentValidation;

namespace Orbyt.Api.Features.Connections.Health;

public sealed class ConnectionHealthRequest
{
    public Guid Id { get; set; }
    [QueryParam, BindFrom("user_id")] public string UserId { get; set; } = "";
    /// <summary>true: a live check even when a cached answer exists (still at most one per connection per 10 s).</summary>
    [QueryParam, BindFrom("refresh")] public bool? Refresh { get; set; }
}

public sealed class ConnectionHealthRequestValidator : Validator<ConnectionHealthRequest>
{
    public ConnectionHealthRequestValidator() => RuleFor(x => x.UserId).NotEmpty().MaximumLength(200).OverridePropertyName("user_id");
}
