using Orbyt.Core.Jobs;

namespace Orbyt.Api.Features.Jobs;

public sealed record JobListResponse(IReadOnlyList<JobResponse> Data, bool HasMore, Guid? NextStartingAfter);
