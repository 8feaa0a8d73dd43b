using FastEndpoints;
using FluentValidation;
using Orbyt.Api.OpenApi;
using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Connections;

public sealed class ListConnectionsRequest
{
    [QueryParam, BindFrom("user_id")] public string UserId { get; set; } = "";
    [QueryParam, BindFrom("platform")] public string? Platform { get; set; }
    [QueryParam, BindFrom("status")] public string? Status { get; set; }
    /// <summary>health: each connection's health too (as GET /v1/connections/{id}/health, cached answers where fresh).</summary>
    [QueryParam, BindFrom("include")] public string? Include { get; set; }
}

public sealed class ListConnectionsValidator : Validator<ListConnectionsRequest>
{
    public ListConnectionsValidator()
    {
        RuleFor(x => x.UserId).NotEmpty().MaximumLength(200).OverridePropertyName("user_id");
        RuleFor(x => x.Status).Must(s => s is null || SchemaDocs.ConnectionStatusValues.Contains(s))
            .WithMessage($"status must be one of {string.Join(", ", SchemaDocs.ConnectionStatusValues)}.").OverridePropertyName("status");
        RuleFor(x => x.Platform).Must(p => p is null || PlatformNames.All.Contains(p))
            .WithMessage($"platform must be one of {string.Join(", ", PlatformNames.All)}.").OverridePropertyName("platform");
        RuleFor(x => x.Include).Must(i => i is null or "health").WithMessage("include must be health.").OverridePropertyName("include");
    }
}
