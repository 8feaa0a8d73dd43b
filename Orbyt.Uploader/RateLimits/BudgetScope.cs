namespace Orbyt.Uploader.RateLimits;

/// <summary>
/// One scope's budget for a call: its name (<c>meta:app</c>, <c>meta:account:{id}</c>, <c>youtube:uploads</c>, …),
/// its limit in the current window (0 = no counted limit, only pauses and slow-downs), the window's id and the
/// time left in it, and what the call costs.
/// </summary>
public sealed record BudgetScope(string Name, long Limit, string WindowId, TimeSpan WindowLeft, long Cost = 1);
