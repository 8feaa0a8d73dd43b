using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.State;

/// <summary>
/// Everything a test may tune at run time (POST /_sandbox/settings merges a partial object into this).
/// Serialized snake_case.
/// </summary>
public sealed record SandboxSettings
{
    public AutoConsent AutoConsent { get; init; } = new();

    public int MetaCodeTtlSeconds { get; init; } = 600;
    public int MetaShortLivedTokenSeconds { get; init; } = 7200;
    public int MetaLongLivedTokenSeconds { get; init; } = 5_184_000;
    public int MetaShortLivedPageTokenSeconds { get; init; } = 3600;
    public int MetaDataAccessDays { get; init; } = 90;

    /// <summary>Calls with app or user tokens per rolling hour per app before X-App-Usage reaches 100 % (then code 4).</summary>
    public int MetaAppCallBudgetPerHour { get; init; } = 5000;

    /// <summary>Calls per rolling 24 h per Page / IG account before X-Business-Use-Case-Usage reaches 100 % (then 80001 / 80002).</summary>
    public int MetaBusinessCallBudgetPerDay { get; init; } = 4800;

    /// <summary>Calls with one user's tokens per rolling hour, all apps together, before code 17 (Meta does not publish the figure).</summary>
    public int MetaUserCallBudgetPerHour { get; init; } = 4800;

    /// <summary>Calls on one Page made with user tokens per rolling hour before code 32 (Page tokens use the business budget instead).</summary>
    public int MetaPageUserTokenCallBudgetPerHour { get; init; } = 4800;

    /// <summary>
    /// Facebook Login for Business configurations (<c>config_id</c> → the permissions it grants, all or none, reference
    /// §1.1). A dialog with an unknown <c>config_id</c> is refused.
    /// </summary>
    public Dictionary<string, string[]> MetaLoginConfigurations { get; init; } = [];

    /// <summary>"Require App Secret": every Graph call with a user or Page token must carry appsecret_proof.</summary>
    public bool MetaRequireAppsecretProof { get; init; }

    /// <summary>Instagram Login (reference §14): the code lives 1 h, the short-lived token 1 h, the long-lived one 60 days (expires_in 5183944).</summary>
    public int IgLoginCodeTtlSeconds { get; init; } = 3600;
    public int IgShortLivedTokenSeconds { get; init; } = 3600;
    public int IgLongLivedTokenSeconds { get; init; } = 5_183_944;

    /// <summary>A long-lived Instagram User token can be refreshed only once it is this old (§14.4).</summary>
    public int IgRefreshMinAgeSeconds { get; init; } = 86_400;

    /// <summary>
    /// The code exchange's answer: the documented <c>{"data":[{…}]}</c> (false) or the flat object clients observe (true);
    /// both occur, so a client must read both (§14.2).
    /// </summary>
    public bool IgLoginFlatTokenResponse { get; init; }

    public int IgImageProcessingSeconds { get; init; }
    public int IgVideoProcessingSeconds { get; init; } = 30;
    public int IgContentPublishingLimit { get; init; } = 50;
    public int IgContainerTtlHours { get; init; } = 24;
    public int FacebookVideoProcessingSeconds { get; init; } = 30;

    public int GoogleAccessTokenSeconds { get; init; } = 3599;
    public int GoogleCodeTtlSeconds { get; init; } = 600;

    public int YoutubeProcessingSeconds { get; init; } = 60;
    public int YoutubeDailyInsertQuota { get; init; } = 100;
    public int YoutubeDailyUnitQuota { get; init; } = 10_000;
    public int YoutubeChannelDailyUploadLimit { get; init; } = 50;
    public int YoutubeUploadSessionTtlHours { get; init; } = 168;

    /// <summary>videos.insert's media size limit: 256 GB (the discovery document's maxSize, 274877906944).</summary>
    public long YoutubeVideoMaxBytes { get; init; } = 274_877_906_944;

    /// <summary>thumbnails.set size limit: the discovery document says 2 MB, the 2026-09-14 revision history 50 MB.</summary>
    public long YoutubeThumbnailMaxBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Unverified API projects get every upload forced to private.</summary>
    public bool YoutubeForcePrivate { get; init; }

    public SandboxSettings Merge(JsonObject patch)
    {
        var current = System.Text.Json.JsonSerializer.SerializeToNode(this, SandboxJson.Snake)!.AsObject();
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject nested && current[key] is JsonObject existing)
            {
                foreach (var (nestedKey, nestedValue) in nested)
                {
                    existing[nestedKey] = nestedValue?.DeepClone();
                }
            }
            else if (current.ContainsKey(key))
            {
                current[key] = value?.DeepClone();
            }
            else
            {
                throw new ArgumentException($"Unknown setting '{key}'.");
            }
        }

        return current.Deserialize<SandboxSettings>(SandboxJson.Snake)!;
    }
}
