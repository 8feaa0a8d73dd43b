using Microsoft.Playwright;

namespace Orbyt.IntegrationTests.Connections;

/// <summary>
/// A person's path through the sandbox consent pages in a real headless browser (Debian's chromium driven by
/// Playwright): pick the test account, press Allow, land on the return URL with status=connected.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class BrowserConsentTests(AppHostFixture fixture) : IAsyncLifetime
{
    private const string ReturnPrefix = "https://app.orbyt.test/browser/";
    private readonly string _userId = "browser-" + Guid.NewGuid().ToString("N")[..10];
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private ApiCaller _api = null!;
    private SandboxControl _sandbox = null!;

    public async Task InitializeAsync()
    {
        _api = new ApiCaller(fixture.Api, fixture.BootstrapApiKey);
        _sandbox = new SandboxControl(fixture.Sandbox);
        await _api.JsonAsync(HttpMethod.Patch, "/v1/client", new { allowed_return_urls = new[] { ReturnPrefix, "https://app.orbyt.test/connected/", "http://localhost:3000/" } });
        // The consent pages must be shown, not skipped or denied by an earlier test's auto-consent.
        await _sandbox.ShowConsentPagesAsync();

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            // localhost mapped to loopback inside chromium: its own resolver intermittently answered
            // ERR_NAME_NOT_RESOLVED for localhost on the CI machine (whose /etc/hosts has no ::1 entry).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP localhost 127.0.0.1"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Fact]
    public async Task A_person_clicks_through_the_meta_consent_page_and_the_facebook_page_is_connected()
    {
        var identity = await _sandbox.CreateIdentityAsync(new { name = "Browser Person " + _userId });
        var metaUserId = identity.GetProperty("meta").GetProperty("user_id").GetString()!;

        var landed = await ClickThroughAsync("facebook", page => page.CheckAsync($"input[name=user_id][value='{metaUserId}']"));

        var query = Browser.Query(landed);
        Assert.Equal("connected", query["status"]);
        Assert.Equal(2, query["connection_ids"].Split(',').Length);
    }

    [Fact]
    public async Task A_person_clicks_through_the_google_consent_page_and_the_youtube_channel_is_connected()
    {
        var identity = await _sandbox.CreateIdentityAsync(new { name = "Browser Person " + _userId });
        var sub = identity.GetProperty("google").GetProperty("sub").GetString()!;

        var landed = await ClickThroughAsync("youtube", page => page.CheckAsync($"input[name=account][value='{sub}']"));

        var query = Browser.Query(landed);
        Assert.Equal("connected", query["status"]);
        var connection = await _api.JsonAsync(HttpMethod.Get, $"/v1/connections/{query["connection_ids"]}?user_id={_userId}");
        Assert.Equal(identity.GetProperty("google").GetProperty("channel").GetProperty("id").GetString(), connection.GetProperty("account").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_person_clicks_through_the_instagram_login_window_and_the_account_without_a_page_is_connected()
    {
        // Reference §14.1: Instagram's own authorize window (Instagram Login), for an account no Facebook Page links to.
        var identity = await _sandbox.CreateIdentityAsync(new { name = "Browser Person " + _userId, meta = false, google = false, instagram_without_page = 1 });
        var igId = identity.GetProperty("instagram_accounts")[0].GetProperty("id").GetString()!;

        var landed = await ClickThroughAsync("instagram", page => page.CheckAsync($"input[name=ig_user_id][value='{igId}']"), login: "instagram");

        var query = Browser.Query(landed);
        Assert.Equal("connected", query["status"]);
        var connection = await _api.JsonAsync(HttpMethod.Get, $"/v1/connections/{query["connection_ids"]}?user_id={_userId}");
        Assert.Equal("instagram", connection.GetProperty("login").GetString());
        Assert.Equal(igId, connection.GetProperty("account").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_person_who_presses_cancel_in_the_instagram_login_window_lands_on_the_return_url_with_access_denied()
    {
        await _sandbox.CreateIdentityAsync(new { name = "Browser Person " + _userId, meta = false, google = false, instagram_without_page = 1 });

        var landed = await ClickThroughAsync("instagram", _ => Task.CompletedTask, button: "Cancel", login: "instagram");

        Assert.Equal("oauth_access_denied", Browser.Query(landed)["error_code"]);
    }

    [Fact]
    public async Task A_person_who_presses_deny_lands_on_the_return_url_with_access_denied()
    {
        await _sandbox.CreateIdentityAsync(new { name = "Browser Person " + _userId });

        var landed = await ClickThroughAsync("youtube", _ => Task.CompletedTask, button: "Deny");

        Assert.Equal("oauth_access_denied", Browser.Query(landed)["error_code"]);
    }

    private async Task<Uri> ClickThroughAsync(string platform, Func<IPage, Task> chooseAccount, string button = "Allow", string? login = null)
    {
        object body = login is null ? new { user_id = _userId, return_url = ReturnPrefix } : new { user_id = _userId, return_url = ReturnPrefix, login };
        var start = await _api.JsonAsync(HttpMethod.Post, $"/v1/connections/{platform}/authorize", body);
        var page = await _browser.NewPageAsync();
        // The return URL is Orbyt's app, which does not exist here: answer it in the browser.
        await page.RouteAsync(ReturnPrefix + "**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, Body = "<h1>Back in Orbyt</h1>", ContentType = "text/html" }));

        await page.GotoAsync(start.GetProperty("authorization_url").GetString()!);
        Assert.Contains(button, await page.ContentAsync());
        await chooseAccount(page);
        await page.ClickAsync($"button:has-text('{button}')");
        await page.WaitForURLAsync(url => url.StartsWith(ReturnPrefix, StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 30_000 });
        return new Uri(page.Url);
    }
}
