namespace Orbyt.Sandbox.Media;

public sealed record FetchedMedia(FetchOutcome Outcome, long ByteLength, string? Sha256, string? Detail, MediaShape? Shape = null);
