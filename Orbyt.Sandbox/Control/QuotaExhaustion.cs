namespace Orbyt.Sandbox.Control;

public sealed record QuotaExhaustion(string Quota, string? AccountId);
