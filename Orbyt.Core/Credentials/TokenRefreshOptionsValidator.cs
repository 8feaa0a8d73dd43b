using Microsoft.Extensions.Options;

namespace Orbyt.Core.Credentials;

/// <summary>Checked at start (<c>ValidateOnStart</c>): a bad setting stops the process instead of skewing the schedule.</summary>
public sealed class TokenRefreshOptionsValidator : IValidateOptions<TokenRefreshOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenRefreshOptions o)
    {
        var errors = new List<string>();
        void Require(bool ok, string message) { if (!ok) errors.Add($"{TokenRefreshOptions.Section}:{message}"); }
        Require(o.PollIntervalSeconds is >= 1 and <= 3600, "PollIntervalSeconds must be 1–3600.");
        Require(o.BatchSize is >= 1 and <= 5000, "BatchSize must be 1–5000.");
        Require(o.Parallelism is >= 1 and <= 128, "Parallelism must be 1–128.");
        Require(o.LeaseSeconds is >= 10 and <= 3600, "LeaseSeconds must be 10–3600.");
        Require(o.GoogleRefreshAheadMinutes is >= 1 and <= 50, "GoogleRefreshAheadMinutes must be 1–50 (Google access tokens live an hour).");
        Require(o.JobLookaheadMinutes is >= 0 and <= 1440, "JobLookaheadMinutes must be 0–1440.");
        Require(o.GoogleGrantCheckHours is >= 1 and <= 24, "GoogleGrantCheckHours must be 1–24 (refresh tokens are checked at least daily).");
        Require(o.MetaCheckHours is >= 1 and <= 168, "MetaCheckHours must be 1–168.");
        Require(o.MetaReexchangeWithinDays is >= 0 and <= 59, "MetaReexchangeWithinDays must be 0–59.");
        Require(o.ExpiringNoticeDays is >= 0 and <= 60, "ExpiringNoticeDays must be 0–60.");
        Require(o.InstagramRefreshAfterDays is >= 1 and <= 50, "InstagramRefreshAfterDays must be 1–50 (Meta refreshes a token only once it is a day old; it lives 60).");
        Require(o.BackoffBaseSeconds >= 1 && o.BackoffMaxSeconds >= o.BackoffBaseSeconds, "BackoffBaseSeconds must be ≥ 1 and BackoffMaxSeconds ≥ BackoffBaseSeconds.");
        Require(o.EscalateAfterHours >= 1, "EscalateAfterHours must be ≥ 1.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
