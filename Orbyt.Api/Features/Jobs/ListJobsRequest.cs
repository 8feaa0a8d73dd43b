using FastEndpoints;
using FluentValidation;
using Orbyt.Api.OpenApi;
using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Jobs;

public sealed class ListJobsRequest
{
    [QueryParam, BindFrom("user_id")] public string UserId { get; set; } = "";
    [QueryParam, BindFrom("status")] public string? Status { get; set; }
    [QueryParam, BindFrom("platform")] public string? Platform { get; set; }
    [QueryParam, BindFrom("publication_id")] public Guid? PublicationId { get; set; }
    [QueryParam, BindFrom("connection_id")] public Guid? ConnectionId { get; set; }
    [QueryParam, BindFrom("limit")] public int? Limit { get; set; }
    /// <summary>Cursor: the id of the last job of the previous page.</summary>
    [QueryParam, BindFrom("starting_after")] public Guid? StartingAfter { get; set; }
}

public sealed class ListJobsValidator : Validator<ListJobsRequest>
{
    public ListJobsValidator()
    {
        RuleFor(x => x.UserId).Must(userId => !string.IsNullOrEmpty(userId)).WithMessage("user_id is required.").OverridePropertyName("user_id");
        RuleFor(x => x.Status).Must(s => s is null || SchemaDocs.JobStatusValues.Contains(s))
            .WithMessage($"status must be one of {string.Join(", ", SchemaDocs.JobStatusValues)}.").OverridePropertyName("status");
        RuleFor(x => x.Platform).Must(p => p is null || PlatformNames.All.Contains(p))
            .WithMessage($"platform must be one of {string.Join(", ", PlatformNames.All)}.").OverridePropertyName("platform");
        RuleFor(x => x.Limit).Must(SchemaDocs.PageLimit).WithMessage($"limit must be between 1 and {SchemaDocs.MaxPageSize}.").OverridePropertyName("limit");
    }
}
