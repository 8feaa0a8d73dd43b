using Microsoft.Extensions.Options;

namespace Orbyt.Core.Webhooks;

/// <summary>Settings under <c>Orbyt:Webhooks</c>, shared by the API (registration checks) and the dispatcher.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Orbyt:Webhooks";

    /// <summary>Hosts that may be called over plain http and skip the internal-address check. Defaults to
    /// <c>localhost</c> and <c>127.0.0.1</c> in Development and to none elsewhere.</summary>
    public List<string>? AllowHttpHosts { get; set; }

    /// <summary>Delay before each attempt, comma-separated seconds; the first is the initial attempt. Tests shorten it.</summary>
    public string RetryScheduleSeconds { get; set; } = WebhookRetrySchedule.StandardScheduleSeconds;

    /// <summary>Per-attempt timeout (the spec's 15 s).</summary>
    public int RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>An endpoint failing continuously for this long is disabled with reason <c>failing</c>.</summary>
    public int DisableAfterFailingHours { get; set; } = 5 * 24;

    /// <summary>How long the previous secret keeps signing after a rotation.</summary>
    public int RotationOverlapHours { get; set; } = 24;

    /// <summary>How often a dispatcher looks for new events and due deliveries.</summary>
    public int PollIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Deliveries one dispatcher sends concurrently per round.</summary>
    public int BatchSize { get; set; } = 16;

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);
    public TimeSpan DisableAfterFailing => TimeSpan.FromHours(DisableAfterFailingHours);
    public TimeSpan RotationOverlap => TimeSpan.FromHours(RotationOverlapHours);
    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(PollIntervalMilliseconds);
}

public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        if (!WebhookRetrySchedule.TryParse(options.RetryScheduleSeconds, out _))
            return ValidateOptionsResult.Fail("Orbyt:Webhooks:RetryScheduleSeconds must be a comma-separated list of 1–20 non-negative whole seconds.");
        if (options.RequestTimeoutSeconds is < 1 or > 60)
            return ValidateOptionsResult.Fail("Orbyt:Webhooks:RequestTimeoutSeconds must be between 1 and 60.");
        if (options.DisableAfterFailingHours < 1 || options.RotationOverlapHours < 0)
            return ValidateOptionsResult.Fail("Orbyt:Webhooks:DisableAfterFailingHours must be positive and RotationOverlapHours not negative.");
        if (options.PollIntervalMilliseconds is < 50 or > 60_000 || options.BatchSize is < 1 or > 200)
            return ValidateOptionsResult.Fail("Orbyt:Webhooks:PollIntervalMilliseconds must be 50–60000 and BatchSize 1–200.");
        return ValidateOptionsResult.Success;
    }
}
