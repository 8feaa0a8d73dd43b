namespace Orbyt.Uploader.RateLimits;

/// <summary>The Page or Instagram account the current job's platform calls are made for (flows with the async call).</summary>
public static class PlatformCallScope
{
    private static readonly AsyncLocal<string?> Account = new();

    public static string? CurrentAccount => Account.Value;

    public static IDisposable Enter(string? accountId)
    {
        var previous = Account.Value;
        Account.Value = accountId;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Account.Value = previous;
    }
}
