namespace Orbyt.Uploader.RateLimits;

/// <summary>
/// A call was not made: its platform budget is spent, paused or slowed; try again after <see cref="Wait"/>.
/// <see cref="Scope"/> and <see cref="Reason"/> say which budget holds it and why (<see cref="BudgetRefusal"/>).
/// </summary>
public sealed class PlatformBudgetExhaustedException(string platform, TimeSpan wait, string scope = "", string reason = "")
    : Exception($"The {platform} call budget is spent for now; the call can be made in {wait.TotalSeconds:0.#} s.")
{
    public string Platform { get; } = platform;
    public TimeSpan Wait { get; } = wait;
    public string Scope { get; } = scope;
    public string Reason { get; } = reason;
}
