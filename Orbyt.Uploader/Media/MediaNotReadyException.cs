namespace Orbyt.Uploader.Media;

/// <summary>The media URL answered 404: a Mux rendition that is not ready yet (or never will be).</summary>
public sealed class MediaNotReadyException() : Exception("The media is not available yet (HTTP 404).");
