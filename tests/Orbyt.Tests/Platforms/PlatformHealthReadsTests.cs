using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Platforms.Meta;

namespace Orbyt.Tests.Platforms;

/// <summary>What connection health reads from the platforms: the publishing limit (§3.6), tokeninfo (§5.6), a Graph error's usage headers (§17.2).</summary>
public sealed class PlatformHealthReadsTests
{
    [Fact]
    public void The_publishing_limit_reads_usage_total_and_window_and_defaults_the_window_to_a_day()
    {
        var full = InstagramPublishingLimit.Read(JsonDocument.Parse("""{"data":[{"quota_usage":2,"config":{"quota_total":50,"quota_duration":86400}}]}""").RootElement);
        Assert.Equal(new InstagramPublishingLimit(2, 50, 86_400), full);
        var noDuration = InstagramPublishingLimit.Read(JsonDocument.Parse("""{"data":[{"quota_usage":0,"config":{"quota_total":100}}]}""").RootElement);
        Assert.Equal(new InstagramPublishingLimit(0, 100, 86_400), noDuration);
    }

    [Fact]
    public async Task Tokeninfo_reads_scopes_and_expiry_and_answers_null_for_an_invalid_token_but_throws_on_an_outage()
    {
        var answers = new Queue<HttpResponseMessage>(
        [
            Json(HttpStatusCode.OK, """{"aud":"client","sub":"123","scope":"https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly","exp":"1767225600","expires_in":"3599"}"""),
            Json(HttpStatusCode.BadRequest, """{"error":"invalid_token","error_description":"Invalid Value"}"""),
            Json(HttpStatusCode.ServiceUnavailable, """{"error":"backend_error"}"""),
        ]);
        var client = new GoogleOAuthClient(new HttpClient(new Answering(answers)), Options.Create(new GoogleOptions()));

        var info = await client.TokenInfoAsync("ya29.live", CancellationToken.None);
        Assert.Equal([GoogleOAuthClient.UploadScope, GoogleOAuthClient.ReadonlyScope], info!.Scopes);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), info.ExpiresAt);
        Assert.Equal(("client", "123"), (info.Audience, info.Subject));
        Assert.Null(await client.TokenInfoAsync("ya29.dead", CancellationToken.None));
        await Assert.ThrowsAsync<GoogleOAuthException>(() => client.TokenInfoAsync("ya29.any", CancellationToken.None));
    }

    [Fact]
    public async Task A_throttled_graph_answer_throws_with_the_usage_headers_it_carried()
    {
        var throttled = Json(HttpStatusCode.BadRequest, """{"error":{"message":"(#80002) There have been too many calls to this Instagram account.","type":"OAuthException","code":80002}}""");
        throttled.Headers.Add("X-Business-Use-Case-Usage", """{"17841400000000001":[{"type":"instagram","call_count":100,"total_cputime":3,"total_time":4,"estimated_time_to_regain_access":7}]}""");
        var graph = new MetaGraphClient(new HttpClient(new Answering(new Queue<HttpResponseMessage>([throttled]))), Options.Create(new MetaOptions { AppId = "1", AppSecret = "s" }));

        var error = await Assert.ThrowsAsync<MetaApiException>(() => graph.GetPublishingLimitAsync("17841400000000001", "token", DateTimeOffset.UnixEpoch, CancellationToken.None));

        Assert.Equal(80002, error.Code);
        var usage = Assert.Single(error.Usage!.Business);
        Assert.Equal(("17841400000000001", 100, 7), (usage.ObjectId, usage.MaxPercent, usage.RegainMinutes));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private sealed class Answering(Queue<HttpResponseMessage> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answers.Dequeue());
    }
}
