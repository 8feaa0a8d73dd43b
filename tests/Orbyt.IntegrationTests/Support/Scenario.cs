using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// What a client of Orbyt does, as steps a test reads as a story: one API client and one end user, connecting accounts
/// through the sandbox's OAuth consent, publishing, and waiting for jobs, publications and webhook deliveries to get
/// where the test expects. Every integration test goes through these steps instead of its own copy of them.
/// </summary>
public sealed class Scenario(AppHostFixture fixture, ApiCaller api, string userId) : IDisposable
{
    /// <summary>The return URL the connect steps use; <see cref="StartAsync"/> allows it for the bootstrap client.</summary>
    public const string ReturnPrefix = "https://app.orbyt.test/connected/";
    public static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan ClockStep = TimeSpan.FromSeconds(20);

    // Made on first use: webhook-only scenarios never follow a redirect.
    private Browser? _browser;
    private readonly List<string> _seen = [];

    public ApiCaller Api => api;
    public string UserId => userId;
    public SandboxControl Sandbox { get; } = new(fixture.Sandbox);

    /// <summary>Every job state a wait saw, oldest first, for failure messages.</summary>
    public string SeenJobStates
    {
        get
        {
            lock (_seen) return string.Join("\n", _seen.Distinct());
        }
    }

    /// <summary>A scenario as the bootstrap client, for a fresh user id starting with <paramref name="userPrefix"/>; the connect return URL is allowed.</summary>
    public static async Task<Scenario> StartAsync(AppHostFixture fixture, string userPrefix)
    {
        var api = new ApiCaller(fixture.Api, fixture.BootstrapApiKey);
        await api.JsonAsync(HttpMethod.Patch, "/v1/client", new { allowed_return_urls = new[] { ReturnPrefix, "http://localhost:3000/" } });
        return new Scenario(fixture, api, userPrefix + "-" + Guid.NewGuid().ToString("N")[..10]);
    }

    /// <summary>A scenario as a new API client of its own (its own limits, its own webhooks), the connect return URL allowed.</summary>
    public static async Task<Scenario> StartAsNewClientAsync(AppHostFixture fixture, string name)
    {
        var admin = new ApiCaller(fixture.Api, fixture.BootstrapApiKey);
        var created = await admin.JsonAsync(HttpMethod.Post, "/v1/clients",
            new { name = name + "-" + Guid.NewGuid().ToString("N")[..8], allowed_return_urls = new[] { ReturnPrefix } }, HttpStatusCode.Created);
        return new Scenario(fixture, new ApiCaller(fixture.Api, created.GetProperty("api_key").GetProperty("key").GetString()!), name + "-" + Guid.NewGuid().ToString("N")[..10]);
    }

    // ---- connecting -------------------------------------------------------------------------------------------------

    /// <summary>A new sandbox identity (options as <c>POST /_sandbox/identities</c> takes them) that consents at once to whatever is asked.</summary>
    public async Task<JsonElement> NewIdentityAsync(object? options = null)
    {
        var identity = await Sandbox.CreateIdentityAsync(options);
        await Sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        return identity;
    }

    /// <summary><c>POST /v1/connections/{platform}/authorize</c> for this user: the authorization URL and when its state expires.</summary>
    public Task<JsonElement> StartAuthorizationAsync(string platform, string returnUrl = ReturnPrefix, string? login = null) =>
        login is null
            ? api.JsonAsync(HttpMethod.Post, $"/v1/connections/{platform}/authorize", new { user_id = userId, return_url = returnUrl })
            : api.JsonAsync(HttpMethod.Post, $"/v1/connections/{platform}/authorize", new { user_id = userId, return_url = returnUrl, login });

    /// <summary>Follows redirects from <paramref name="url"/> as a browser would until the return URL; that URL's query (status, connection_ids or error_code …).</summary>
    public async Task<Dictionary<string, string>> FollowToReturnUrlAsync(string url) =>
        Browser.Query(await (_browser ??= new Browser()).FollowUntilAsync(url, ReturnPrefix));

    /// <summary>
    /// The whole OAuth flow for <paramref name="platform"/>, through the consent of the identity the sandbox
    /// auto-consents as, to the return URL; returns that URL's query.
    /// </summary>
    public async Task<Dictionary<string, string>> AuthorizeAsync(string platform, string returnUrl = ReturnPrefix, string? login = null)
    {
        var start = await StartAuthorizationAsync(platform, returnUrl, login);
        return await FollowToReturnUrlAsync(start.GetProperty("authorization_url").GetString()!);
    }

    /// <summary>Connects <paramref name="platform"/> and asserts it connected; every connection id of the consent (a Meta grant can bring several Pages).</summary>
    public async Task<string[]> ConnectAsync(string platform, string? login = null)
    {
        var query = await AuthorizeAsync(platform, login: login);
        Assert.True(query.GetValueOrDefault("status") == "connected", $"{platform} did not connect: {string.Join("&", query.Select(kv => kv.Key + "=" + kv.Value))}");
        return query["connection_ids"].Split(',');
    }

    /// <summary>Connects <paramref name="platform"/> and reads the first connection of the consent back from the API.</summary>
    public async Task<ConnectedAccount> ConnectAccountAsync(string platform, string? login = null)
    {
        var id = (await ConnectAsync(platform, login))[0];
        var connection = await api.JsonAsync(HttpMethod.Get, $"/v1/connections/{id}?user_id={userId}");
        Assert.Equal(platform, connection.GetProperty("platform").GetString());
        return new ConnectedAccount(connection.GetProperty("id").GetString()!, connection.GetProperty("account").GetProperty("id").GetString()!);
    }

    /// <summary>A new sandbox identity (see <see cref="NewIdentityAsync"/>) with its <paramref name="platform"/> account connected.</summary>
    public async Task<ConnectedAccount> ConnectNewAccountAsync(string platform, object? identityOptions = null, string? login = null)
    {
        await NewIdentityAsync(identityOptions);
        return await ConnectAccountAsync(platform, login);
    }

    // ---- publishing -------------------------------------------------------------------------------------------------

    /// <summary>A publication to one connection; its job's id.</summary>
    public async Task<string> PublishAsync(string connectionId, string type, string url, string? caption = null, string? title = null)
    {
        var created = await api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = userId,
            targets = new[] { new { connection_id = connectionId } },
            media = new { type, url },
            caption,
            title,
        }, HttpStatusCode.Accepted);
        return created.GetProperty("jobs")[0].GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Polls <c>GET /v1/jobs/{id}</c> until <paramref name="condition"/> holds. <paramref name="poll"/> (default
    /// <see cref="Eventually.PollInterval"/>) also sets how fast a moving sandbox clock runs: 20 s per poll.
    /// </summary>
    public async Task<JsonElement> WaitForJobAsync(string jobId, Func<JsonElement, bool> condition, TimeSpan? timeout = null, SandboxClockMove clock = SandboxClockMove.Still, TimeSpan? poll = null)
    {
        try
        {
            return await WaitForJobStateAsync(jobId, condition, timeout, clock, poll);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nStates seen:\n" + SeenJobStates, e);
        }
    }

    private Task<JsonElement> WaitForJobStateAsync(string jobId, Func<JsonElement, bool> condition, TimeSpan? timeout, SandboxClockMove clock, TimeSpan? poll) =>
        Eventually.ReadAsync(
            async () =>
            {
                var job = await api.JsonAsync(HttpMethod.Get, $"/v1/jobs/{jobId}?user_id={userId}");
                lock (_seen)
                    _seen.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {job.GetProperty("status")}/{job.GetProperty("stage")} next {job.GetProperty("next_attempt_at")} error {job.GetProperty("error")}");
                return job;
            },
            condition, $"job {jobId}", timeout ?? JobTimeout,
            async job =>
            {
                if (clock == SandboxClockMove.EveryPoll
                    || (clock == SandboxClockMove.WhilePlatformProcessing && job.GetProperty("stage").GetString() == "platform_processing"))
                    await AdvanceSandboxClockAsync();
            },
            poll);

    /// <summary>Waits until the job is published, failed or cancelled.</summary>
    public Task<JsonElement> WaitForJobToFinishAsync(string jobId, TimeSpan? timeout = null, SandboxClockMove clock = SandboxClockMove.Still, TimeSpan? poll = null) =>
        WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed" or "cancelled", timeout, clock, poll);

    /// <summary>
    /// Creates the publication <paramref name="body"/>, waits (the sandbox clock moving every poll) until it is no longer
    /// pending, and asserts it was published; returns it.
    /// </summary>
    public async Task<JsonElement> PublishAndWaitAsync(object body, TimeSpan? poll = null)
    {
        var created = await api.JsonAsync(HttpMethod.Post, "/v1/publications", body, HttpStatusCode.Accepted);
        var publication = await WaitForPublicationAsync(created.GetProperty("id").GetString()!, clock: SandboxClockMove.EveryPoll, poll: poll ?? TimeSpan.FromMilliseconds(500));
        Assert.True(publication.GetProperty("status").GetString() == "published", publication.ToString());
        return publication;
    }

    /// <summary>Polls <c>GET /v1/publications/{id}</c> until it is no longer pending.</summary>
    public Task<JsonElement> WaitForPublicationAsync(string publicationId, TimeSpan? timeout = null, SandboxClockMove clock = SandboxClockMove.Still, TimeSpan? poll = null) =>
        Eventually.ReadAsync(
            () => api.JsonAsync(HttpMethod.Get, $"/v1/publications/{publicationId}?user_id={userId}"),
            p => p.GetProperty("status").GetString() != "pending",
            $"publication {publicationId} to finish", timeout ?? JobTimeout,
            async _ =>
            {
                if (clock == SandboxClockMove.EveryPoll) await AdvanceSandboxClockAsync();
            },
            poll);

    /// <summary>Polls this user's job list until every one of <paramref name="jobIds"/> is in it and <paramref name="done"/> holds for them.</summary>
    public Task<JsonElement[]> PollJobsAsync(IReadOnlyCollection<string> jobIds, Func<JsonElement[], bool> done, TimeSpan? timeout = null) =>
        Eventually.ReadAsync(
            async () => (await api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={userId}&limit=100")).GetProperty("data").EnumerateArray()
                .Where(j => jobIds.Contains(j.GetProperty("id").GetString()!)).ToArray(),
            all => all.Length == jobIds.Count && done(all),
            $"{jobIds.Count} jobs", timeout ?? JobTimeout);

    public async Task AdvanceSandboxClockAsync() =>
        (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/clock/advance", new { seconds = ClockStep.TotalSeconds })).Dispose();

    // ---- webhooks ---------------------------------------------------------------------------------------------------

    /// <summary>Polls the endpoint's delivery log until the delivery is in it and <paramref name="condition"/> holds.</summary>
    public Task<JsonElement> WaitForDeliveryAsync(string endpointId, string deliveryId, Func<JsonElement, bool> condition, TimeSpan? timeout = null) =>
        Eventually.ReadAsync(
            async () => (await api.JsonAsync(HttpMethod.Get, $"/v1/webhooks/{endpointId}/deliveries?limit=100")).GetProperty("data").EnumerateArray()
                .SingleOrDefault(d => d.GetProperty("id").GetString() == deliveryId),
            d => d.ValueKind == JsonValueKind.Object && condition(d),
            $"delivery {deliveryId}", timeout ?? DeliveryTimeout);

    /// <summary>Polls <c>GET /v1/webhooks/{id}</c> until <paramref name="condition"/> holds.</summary>
    public Task<JsonElement> WaitForEndpointAsync(string endpointId, Func<JsonElement, bool> condition, TimeSpan? timeout = null) =>
        Eventually.ReadAsync(
            () => api.JsonAsync(HttpMethod.Get, $"/v1/webhooks/{endpointId}"),
            condition, $"endpoint {endpointId}", timeout ?? DeliveryTimeout);

    public void Dispose() => _browser?.Dispose();
}
