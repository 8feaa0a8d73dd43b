namespace Orbyt.Sandbox.State;

public sealed record CallRecord(DateTimeOffset At, string Method, string Path, int Status);
