namespace Orbyt.Sandbox.Control;

public sealed record GoogleGrantsRequest(int Count, string? Sub, string[]? Scopes);
