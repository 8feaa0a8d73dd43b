using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Meta;

namespace Orbyt.Tests.Platforms;

/// <summary>appsecret_proof on every Graph call (reference §1.6, §17.5), wherever the token travels.</summary>
public sealed class MetaAppSecretProofHandlerTests
{
    private const string Secret = "app-secret";
    private const string Token = "EAAG+token/with=odd&chars";

    private static readonly MetaOptions Meta = new()
    {
        AppId = "1",
        AppSecret = Secret,
        GraphBaseUrl = new Uri("https://graph.example/graph/"),
        GraphVideoBaseUrl = new Uri("https://graph.example/graph-video/"),
        RuploadBaseUrl = new Uri("https://graph.example/rupload/"),
    };

    private static string Expected => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(Token)));

    [Fact]
    public async Task A_token_in_the_query_gets_its_proof_in_the_query()
    {
        var sent = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://graph.example/graph/v24.0/me?fields=id&access_token={Uri.EscapeDataString(Token)}"));

        Assert.Equal(Expected, Query(sent)["appsecret_proof"]);
        Assert.Equal("id", Query(sent)["fields"]);
    }

    [Fact]
    public async Task A_token_in_a_form_body_gets_its_proof_in_the_query_and_the_body_is_left_alone()
    {
        var body = new FormUrlEncodedContent([new("message", "hi"), new("access_token", Token)]);
        var sent = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "https://graph.example/graph/v24.0/123/photos") { Content = body });

        Assert.Equal(Expected, Query(sent)["appsecret_proof"]);
        Assert.Contains("access_token=", await sent.Content!.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_in_a_multipart_field_or_an_oauth_header_gets_its_proof()
    {
        var multipart = new MultipartFormDataContent { { new StringContent(Token), "access_token" }, { new ByteArrayContent([1, 2]), "source", "a.mp4" } };
        var fromMultipart = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "https://graph.example/graph-video/v24.0/123/videos") { Content = multipart });
        var header = new HttpRequestMessage(HttpMethod.Post, "https://graph.example/graph/v24.0/upload:abc") { Content = new ByteArrayContent([1]) };
        header.Headers.Authorization = new AuthenticationHeaderValue("OAuth", Token);
        var fromHeader = await SendAsync(header);

        Assert.Equal(Expected, Query(fromMultipart)["appsecret_proof"]);
        Assert.Equal(Expected, Query(fromHeader)["appsecret_proof"]);
    }

    [Fact]
    public async Task Calls_without_a_token_and_calls_to_other_hosts_are_left_as_they_are()
    {
        var exchange = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://graph.example/graph/v24.0/oauth/access_token?code=c&client_id=1"));
        var rupload = new HttpRequestMessage(HttpMethod.Post, "https://graph.example/rupload/v24.0/video-upload/1") { Content = new ByteArrayContent([1]) };
        rupload.Headers.Authorization = new AuthenticationHeaderValue("OAuth", Token);
        var toRupload = await SendAsync(rupload);

        Assert.False(Query(exchange).ContainsKey("appsecret_proof"));
        Assert.False(Query(toRupload).ContainsKey("appsecret_proof"));
    }

    [Fact]
    public async Task A_proof_already_present_is_not_added_twice()
    {
        var sent = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://graph.example/graph/v24.0/me?access_token=t&appsecret_proof=given"));

        Assert.Equal("?access_token=t&appsecret_proof=given", sent.RequestUri!.Query);
    }

    private static async Task<HttpRequestMessage> SendAsync(HttpRequestMessage request)
    {
        var recorder = new Recorder();
        using var invoker = new HttpMessageInvoker(new MetaAppSecretProofHandler(Options.Create(Meta)) { InnerHandler = recorder });
        (await invoker.SendAsync(request, CancellationToken.None)).Dispose();
        return recorder.Last!;
    }

    private static Dictionary<string, string> Query(HttpRequestMessage request) =>
        request.RequestUri!.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""));

    private sealed class Recorder : HttpMessageHandler
    {
        public HttpRequestMessage? Last { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Last = request;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
