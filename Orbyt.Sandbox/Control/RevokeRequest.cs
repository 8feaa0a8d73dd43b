namespace Orbyt.Sandbox.Control;

public sealed record RevokeRequest(string Platform);
