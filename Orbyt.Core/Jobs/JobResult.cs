namespace Orbyt.Core.Jobs;

/// <summary>Where the published post lives on the platform.</summary>
public sealed record JobResult(string? PlatformPostId, string? Permalink);
