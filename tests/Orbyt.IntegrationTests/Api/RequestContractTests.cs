using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orbyt.IntegrationTests.Api;

/// <summary>
/// The contract holds for bad input (issue 16, items 1–5): every error is a problem with a catalog code, the input the
/// document forbids is refused with a 400 naming the field, and what the document requires is required.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class RequestContractTests(AppHostFixture fixture)
{
    private ApiCaller Api => new(fixture.Api, fixture.BootstrapApiKey);
    private static readonly string AnyId = Guid.NewGuid().ToString();

    // ---- 1. U+0000 in any text input ------------------------------------------------------------------------------

    public static TheoryData<string, string, string?, string> NulInputs => new()
    {
        { "POST", "/v1/api-keys", """{"name":"n\u0000ul"}""", "name" },
        { "POST", "/v1/publications", """{"user_id":"u","targets":[{"connection_id":"01936f8e-0000-7000-8000-000000000003"}],"media":{"type":"image","url":"https://x.example/a.jpg"},"caption":"a\u0000b"}""", "caption" },
        { "POST", "/v1/webhooks", """{"url":"https://hooks.example/x","description":"d\u0000"}""", "description" },
        { "GET", "/v1/jobs?user_id=%00", null, "user_id" },
        { "GET", $"/v1/connections/{AnyId}?user_id=%00", null, "user_id" },
        { "DELETE", $"/v1/connections/{AnyId}?user_id=a%00", null, "user_id" },
        { "POST", $"/v1/jobs/{AnyId}/cancel", """{"user_id":"\u0000"}""", "user_id" },
        { "POST", "/v1/connections/youtube/authorize", """{"user_id":"u","return_url":"https://app.orbyt.test/connected/\u0000"}""", "return_url" },
    };

    [Theory]
    [MemberData(nameof(NulInputs))]
    public async Task A_nul_character_in_any_text_input_is_a_400_naming_the_field(string method, string path, string? body, string field)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await fixture.Api.SendAsync(request);

        var problem = await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    // ---- 2. every non-2xx is a problem, including Kestrel's own rejections ---------------------------------------

    public static TheoryData<string, int, string> RejectedByTheServer => new()
    {
        { "non-ASCII Idempotency-Key", 400, "malformed_request" },
        { "NUL in a header", 400, "malformed_request" },
        { "%00 in a path segment", 400, "malformed_request" },
        { "12 KB request line", 414, "uri_too_long" },
        { "garbage request line", 400, "malformed_request" },
        { "40 KB of headers", 431, "request_headers_too_large" },
    };

    [Theory]
    [MemberData(nameof(RejectedByTheServer))]
    public async Task A_request_the_server_rejects_before_the_api_sees_it_is_still_a_problem_with_a_catalog_code(string kind, int status, string code)
    {
        var api = fixture.Api.BaseAddress!;
        var key = Encoding.ASCII.GetBytes($"X-Api-Key: {fixture.BootstrapApiKey}");
        var bytes = kind switch
        {
            "non-ASCII Idempotency-Key" => RawHttp.Build(api, "POST /v1/publications HTTP/1.1", [key, "Content-Type: application/json"u8.ToArray(), [.. "Idempotency-Key: "u8, 0xE9, (byte)'t', 0xE9]], "{}"),
            "NUL in a header" => RawHttp.Build(api, "GET /v1/client HTTP/1.1", [key, [.. "X-Note: a"u8, 0, (byte)'b']]),
            "%00 in a path segment" => RawHttp.Build(api, "GET /v1/connections/a%00b?user_id=u HTTP/1.1", [key]),
            "12 KB request line" => RawHttp.Build(api, $"GET /v1/jobs?user_id={new string('u', 12 * 1024)} HTTP/1.1", [key]),
            "garbage request line" => Encoding.ASCII.GetBytes("GET\x01 / HTTP/1.1\r\n\r\n"),
            "40 KB of headers" => RawHttp.Build(api, "GET /v1/client HTTP/1.1", [key, .. Enumerable.Range(0, 40).Select(i => Encoding.ASCII.GetBytes($"X-Pad-{i}: {new string('p', 1000)}"))]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var answer = await RawHttp.SendAsync(api, bytes);

        Assert.True(status == answer.Status, $"{kind}: {answer.Status} {answer.Body}");
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(code, answer.Json.GetProperty("code").GetString());
        Assert.Equal(status, answer.Json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("trace_id").GetString()));
    }

    [Fact]
    public async Task An_encoded_newline_in_a_path_segment_is_a_problem()
    {
        var answer = await RawHttp.SendAsync(fixture.Api.BaseAddress!, RawHttp.Build(fixture.Api.BaseAddress!,
            "GET /v1/connections/a%0Ab?user_id=u HTTP/1.1", [Encoding.ASCII.GetBytes($"X-Api-Key: {fixture.BootstrapApiKey}")]));

        Assert.InRange(answer.Status, 400, 499);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_body_without_content_type_is_a_415_problem()
    {
        var api = fixture.Api.BaseAddress!;
        var answer = await RawHttp.SendAsync(api, RawHttp.Build(api, "POST /v1/api-keys HTTP/1.1",
            [Encoding.ASCII.GetBytes($"X-Api-Key: {fixture.BootstrapApiKey}")], """{"name":"no-type"}"""));

        Assert.Equal(415, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal("unsupported_media_type", answer.Json.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_a_413_problem()
    {
        // Announced, not sent: the API refuses a Content-Length over its 30 MB limit as soon as it starts reading.
        var api = fixture.Api.BaseAddress!;
        var answer = await RawHttp.SendAsync(api, RawHttp.Build(api, "POST /v1/api-keys HTTP/1.1",
            [Encoding.ASCII.GetBytes($"X-Api-Key: {fixture.BootstrapApiKey}"), "Content-Type: application/json"u8.ToArray(), "Content-Length: 40000000"u8.ToArray()]));

        Assert.Equal(413, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal("request_too_large", answer.Json.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1/nothing-here", HttpStatusCode.NotFound, "route_not_found")]
    [InlineData("PUT", "/v1/client", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    public async Task Unknown_routes_and_methods_are_problems(string method, string path, HttpStatusCode status, string code)
    {
        using var response = await Api.SendAsync(new HttpMethod(method), path);

        await ApiProblem.AssertAsync(response, status, code);
    }

    // ---- 3. the document's additionalProperties: false, media types and filters are enforced -----------------------

    public static TheoryData<string, string, string, string> UnknownProperties => new()
    {
        { "POST", "/v1/publications", """{"user_id":"u","targets":[{"connection_id":"01936f8e-0000-7000-8000-000000000003"}],"media":{"type":"image","url":"https://x.example/a.jpg"},"bogus":1}""", "bogus" },
        { "POST", "/v1/publications", """{"user_id":"u","targets":[{"connection_id":"01936f8e-0000-7000-8000-000000000003","platform":"myspace"}],"media":{"type":"image","url":"https://x.example/a.jpg"}}""", "targets[0].platform" },
        { "PATCH", "/v1/client", """{"": null}""", "" },
        { "POST", "/v1/api-keys", """{"name":"k","scopes":["all"]}""", "scopes" },
    };

    [Theory]
    [MemberData(nameof(UnknownProperties))]
    public async Task A_property_the_schema_does_not_have_is_a_400_naming_it(string method, string path, string body, string field)
    {
        using var response = await SendJsonAsync(method, path, body, "application/json");

        var problem = await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("application/json-patch+json")]
    [InlineData("text/plain")]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/json; charset=latin1")]
    public async Task A_body_in_any_media_type_but_application_json_is_a_415(string contentType)
    {
        using var response = await SendJsonAsync("PATCH", "/v1/client", """{"allowed_return_urls":["https://app.orbyt.test/connected/"]}""", contentType);

        await ApiProblem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("/v1/jobs?user_id=u&status=bogus", "status")]
    [InlineData("/v1/jobs?user_id=u&platform=myspace", "platform")]
    [InlineData("/v1/jobs?user_id=u&limit=-1", "limit")]
    [InlineData("/v1/jobs?user_id=u&limit=100000", "limit")]
    [InlineData("/v1/connections?user_id=u&platform=myspace", "platform")]
    [InlineData("/v1/connections?user_id=u&status=gone", "status")]
    [InlineData("/v1/publications?user_id=u&limit=0", "limit")]
    public async Task A_list_filter_outside_its_documented_values_is_a_400_naming_it(string path, string field)
    {
        using var response = await Api.SendAsync(HttpMethod.Get, path);

        var problem = await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task The_document_declares_the_filters_values_and_ranges_and_closes_every_request_schema()
    {
        var document = JsonNode.Parse(await fixture.Api.GetStringAsync("/openapi/v1.json"))!;
        JsonNode Query(string path, string name) =>
            document["paths"]![path]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!["schema"]!;

        Assert.Equal(["scheduled", "queued", "processing", "published", "failed", "cancelled"], Query("/v1/jobs", "status")["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["facebook", "instagram", "youtube"], Query("/v1/connections", "platform")["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order());
        foreach (var path in new[] { "/v1/jobs", "/v1/publications", "/v1/webhooks/{id}/deliveries" })
        {
            Assert.Equal(1, Query(path, "limit")["minimum"]!.GetValue<int>());
            Assert.Equal(100, Query(path, "limit")["maximum"]!.GetValue<int>());
        }
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
                if (operation!["requestBody"] is { } body)
                {
                    Assert.Equal(["application/json"], body["content"]!.AsObject().Select(c => c.Key));
                    var name = body["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().Split('/')[^1];
                    Assert.False(schemas[name]!["additionalProperties"]!.GetValue<bool>(), $"{method} {path}: {name}");
                }
    }

    // ---- 4. required means required -------------------------------------------------------------------------------

    [Fact]
    public async Task A_target_without_connection_id_is_a_400_naming_it_not_a_404()
    {
        using var response = await SendJsonAsync("POST", "/v1/publications",
            """{"user_id":"u","targets":[{}],"media":{"type":"image","url":"https://x.example/a.jpg"}}""", "application/json");

        var problem = await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("targets[0].connection_id", out _), problem.ToString());
    }

    [Fact]
    public async Task What_the_validators_require_the_document_lists_as_required()
    {
        var schemas = JsonNode.Parse(await fixture.Api.GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!;
        string[] Required(string schema) => schemas[schema]!["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToArray() ?? [];

        Assert.Contains("connection_id", Required("PublicationTarget"));
        // media may be left out: a Facebook text or link post (media_required answers it for other targets).
        Assert.DoesNotContain("media", Required("CreatePublicationRequest"));
        Assert.Contains("targets", Required("CreatePublicationRequest"));
        Assert.Contains("user_id", Required("CreatePublicationRequest"));
        Assert.Contains("type", Required("PublicationMedia"));
        Assert.Contains("url", Required("PublicationMedia"));
        Assert.Contains("user_id", Required("JobActionRequest"));
    }

    // ---- 5. authorization_url is a valid URI ----------------------------------------------------------------------

    [Fact]
    public async Task The_authorization_url_is_a_correctly_encoded_uri()
    {
        using var scenario = await Scenario.StartAsync(fixture, "contract-uri");

        var started = await scenario.StartAuthorizationAsync("youtube");

        var url = started.GetProperty("authorization_url").GetString()!;
        Assert.DoesNotContain(' ', url);
        Assert.True(Uri.IsWellFormedUriString(url, UriKind.Absolute), url);
        var scope = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["scope"]!;
        Assert.Contains("https://www.googleapis.com/auth/youtube.upload", scope.Split(' '));
        // As given, with no repair, the URL leads through the sandbox's consent back to the return URL.
        await scenario.NewIdentityAsync();
        var landed = await scenario.FollowToReturnUrlAsync(url);
        Assert.Equal("connected", landed["status"]);
    }

    private Task<HttpResponseMessage> SendJsonAsync(string method, string path, string body, string contentType)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
        return fixture.Api.SendAsync(request);
    }
}
