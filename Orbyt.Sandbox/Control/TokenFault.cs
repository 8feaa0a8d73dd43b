namespace Orbyt.Sandbox.Control;

public sealed record TokenFault(string Token, int? Subcode);
