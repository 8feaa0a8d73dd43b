namespace Orbyt.Sandbox.State;

public sealed record PublishedChild(string Type, long ByteLength, string? Sha256, string? AltText = null);
