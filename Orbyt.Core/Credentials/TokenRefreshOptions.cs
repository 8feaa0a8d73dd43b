using Microsoft.Extensions.Options;

namespace Orbyt.Core.Credentials;

/// <summary>Settings under <c>Orbyt:TokenRefresher</c> (docs/token-refresh.md). Durations are whole seconds, minutes or days.</summary>
public sealed class TokenRefreshOptions
{
    public const string Section = "Orbyt:TokenRefresher";

    /// <summary>Pause between scheduling passes when the previous pass found less than a full batch.</summary>
    public int PollIntervalSeconds { get; set; } = 5;
    /// <summary>Credentials one replica claims per pass.</summary>
    public int BatchSize { get; set; } = 200;
    /// <summary>Refreshes one replica runs at the same time.</summary>
    public int Parallelism { get; set; } = 16;
    /// <summary>How long a claim keeps other replicas away; a crashed replica's claims come back after it.</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Google: refresh the access token this long before it expires when a job needs it.</summary>
    public int GoogleRefreshAheadMinutes { get; set; } = 10;
    /// <summary>Google: a job "needs the token soon" when it is queued/processing or its next attempt is within this window.</summary>
    public int JobLookaheadMinutes { get; set; } = 15;
    /// <summary>Google: every refresh token is exercised at least this often (a refresh is the only check that finds a revoked or 7-day testing-mode grant).</summary>
    public int GoogleGrantCheckHours { get; set; } = 12;

    /// <summary>Meta: how often debug_token checks each user and Page token.</summary>
    public int MetaCheckHours { get; set; } = 24;
    /// <summary>Meta: re-exchange a long-lived user token that expires within this many days (while it still works).</summary>
    public int MetaReexchangeWithinDays { get; set; } = 30;
    /// <summary>Meta: <c>connection.expiring</c> goes out this many days before the user token or the data-access window lapses.</summary>
    public int ExpiringNoticeDays { get; set; } = 7;

    /// <summary>Transient failures retry with exponential backoff from this delay …</summary>
    public int BackoffBaseSeconds { get; set; } = 30;
    /// <summary>… up to this one (plus jitter).</summary>
    public int BackoffMaxSeconds { get; set; } = 3600;
    /// <summary>A credential failing transiently for longer than this is escalated (error log + metric).</summary>
    public int EscalateAfterHours { get; set; } = 72;

    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollIntervalSeconds);
    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
    public TimeSpan GoogleRefreshAhead => TimeSpan.FromMinutes(GoogleRefreshAheadMinutes);
    public TimeSpan JobLookahead => TimeSpan.FromMinutes(JobLookaheadMinutes);
    public TimeSpan GoogleGrantCheck => TimeSpan.FromHours(GoogleGrantCheckHours);
    public TimeSpan MetaCheck => TimeSpan.FromHours(MetaCheckHours);
    public TimeSpan MetaReexchangeWithin => TimeSpan.FromDays(MetaReexchangeWithinDays);
    public TimeSpan ExpiringNotice => TimeSpan.FromDays(ExpiringNoticeDays);
    public TimeSpan EscalateAfter => TimeSpan.FromHours(EscalateAfterHours);
    public RefreshBackoff Backoff => new(TimeSpan.FromSeconds(BackoffBaseSeconds), TimeSpan.FromSeconds(BackoffMaxSeconds));
}

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
        Require(o.BackoffBaseSeconds >= 1 && o.BackoffMaxSeconds >= o.BackoffBaseSeconds, "BackoffBaseSeconds must be ≥ 1 and BackoffMaxSeconds ≥ BackoffBaseSeconds.");
        Require(o.EscalateAfterHours >= 1, "EscalateAfterHours must be ≥ 1.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
