namespace Orbyt.Core.Credentials;

/// <summary>
/// Settings under <c>Orbyt:TokenRefresher</c> (docs/token-refresh.md). Durations are whole seconds, minutes or days.
/// In Core rather than in the refresher: the Uploader's on-demand refresh schedules the next grant check, backs off and
/// escalates with the same settings (<see cref="GoogleGrantCheck"/>, <see cref="ExpiringNotice"/>, <see cref="Backoff"/>,
/// <see cref="EscalateAfter"/>), so both processes write one schedule.
/// </summary>
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
    /// <summary>
    /// Instagram Login: refresh the 60-day token once it is this many days old (Meta refuses before 24 hours). A week
    /// leaves seven weeks of retries before it lapses.
    /// </summary>
    public int InstagramRefreshAfterDays { get; set; } = 7;
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
    public TimeSpan InstagramRefreshAfter => TimeSpan.FromDays(InstagramRefreshAfterDays);
    public TimeSpan ExpiringNotice => TimeSpan.FromDays(ExpiringNoticeDays);
    public TimeSpan EscalateAfter => TimeSpan.FromHours(EscalateAfterHours);
    public RefreshBackoff Backoff => new(TimeSpan.FromSeconds(BackoffBaseSeconds), TimeSpan.FromSeconds(BackoffMaxSeconds));
}
