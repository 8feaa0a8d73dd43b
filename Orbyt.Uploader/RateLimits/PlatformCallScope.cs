namespace Orbyt.Uploader.RateLimits;

/// <summary>
/// Who the current job's Meta calls are made for (flows with the async call): the Page or Instagram account, and the
/// Meta user whose grant the token comes from. Meta scopes its limits by these (reference §17.1), so a signal about
/// one of them stops only the calls that share it.
/// </summary>
public static class PlatformCallScope
{
    private static readonly AsyncLocal<MetaCallTarget?> Target = new();

    public static MetaCallTarget? Current => Target.Value;

    public static string? CurrentAccount => Target.Value?.AccountId;

    public static IDisposable Enter(string? accountId, string? metaUserId = null)
    {
        var previous = Target.Value;
        Target.Value = accountId is null ? null : new MetaCallTarget(accountId, metaUserId);
        return new Restore(previous);
    }

    private sealed class Restore(MetaCallTarget? previous) : IDisposable
    {
        public void Dispose() => Target.Value = previous;
    }
}
