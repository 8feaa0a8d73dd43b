namespace Orbyt.Uploader.Platforms.Meta;

/// <summary>
/// A recent Page photo or video as listed by Graph. <see cref="Reference"/> is the photo's post (page_story_id) or
/// the video's permalink.
/// </summary>
public sealed record PagePostCandidate(string Id, string? Text, string? Title, string? Reference);
