namespace Orbyt.Core.Jobs;

/// <summary>Where the published post lives on the platform, and what the platform applied where that can differ from what was asked.</summary>
/// <param name="PlatformPostId">The platform's id of the post, video or media.</param>
/// <param name="Permalink">The post's public URL.</param>
/// <param name="PrivacyStatus">
/// YouTube: the privacy YouTube applied, read back from the video after processing (<c>private</c>, <c>unlisted</c>,
/// <c>public</c>). It can differ from the one asked for (channel settings); <c>warnings</c> then says so. Null for
/// other platforms.
/// </param>
/// <param name="Warnings">Ways the published post differs from what was asked; empty when it is as asked.</param>
/// <param name="Children">
/// A post of several items: the platform's id of each, in the order of <c>media</c> (an Instagram carousel's child
/// container ids). Null for a post of one item.
/// </param>
/// <param name="FirstComment">
/// The first comment asked for with <c>first_comment</c>: <c>{status: published, id}</c>, or <c>{status: failed,
/// error}</c> (code <c>first_comment_failed</c>; the post stays published and <c>warnings</c> says so). Null when none was
/// asked for.
/// </param>
public sealed record JobResult(string? PlatformPostId, string? Permalink, string? PrivacyStatus, IReadOnlyList<JobWarning> Warnings, IReadOnlyList<string>? Children = null,
    FirstCommentResult? FirstComment = null);
