namespace Orbyt.Uploader.RateLimits;

/// <summary>
/// A call the budgets did not grant: how long until they would, the scope that holds it longest
/// (<c>meta:account:{id}</c>, …) and why — a pause's reason (<c>meta_error_4</c>, <c>estimated_time_to_regain_access</c>,
/// <c>instagram_account_restricted</c>, …), <c>slowed</c> or <c>cap</c>.
/// </summary>
public sealed record BudgetRefusal(TimeSpan Wait, string Scope, string Reason);
