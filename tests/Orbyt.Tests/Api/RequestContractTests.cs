using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orbyt.Api.Features.Clients;
using Orbyt.Api.Features.Publications;
using Orbyt.Api.Problems;
using Orbyt.Api.Validation;

namespace Orbyt.Tests.Api;

/// <summary>The central pieces that keep requests within the documented contract (issue 16, items 1–3).</summary>
public sealed class RequestContractTests
{
    // What FastEndpoints deserializes request bodies with (Extensions.UseOrbytApi).
    private static readonly JsonSerializerOptions Binding = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    [Theory]
    [InlineData("""{"name":"n\u0000ul"}""", "name")]
    [InlineData("""{"targets":[{"connection_id":"x"},{"caption":"a\u0000"}]}""", "targets[1].caption")]
    [InlineData("""{"youtube":{"tags":["ok","\u0000"]}}""", "youtube.tags[1]")]
    [InlineData("""{"a\u0000b":1}""", "a\\u0000b")]
    [InlineData("\"\\u0000\"", "body")]
    public void A_nul_anywhere_in_a_json_body_is_found_with_its_path(string json, string field)
    {
        Assert.Equal([field], RequestInputGuard.FindNulFields(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void An_escaped_backslash_before_u0000_is_text_not_a_nul()
    {
        Assert.Empty(RequestInputGuard.FindNulFields("""{"caption":"\\u0000"}"""u8));
    }

    [Theory]
    [InlineData("""{"user_id":"u","targets":[],"media":{"type":"image","url":"https://x"},"bogus":1}""", "bogus")]
    [InlineData("""{"user_id":"u","targets":[{"connection_id":"01936f8e-0000-7000-8000-000000000003","platform":"myspace"}],"media":{"type":"image","url":"https://x"}}""", "targets[0].platform")]
    [InlineData("""{"user_id":"u","targets":[],"media":{"type":"image","url":"https://x","size":3}}""", "media.size")]
    public void A_property_the_schema_does_not_have_is_a_validation_failure_naming_it(string json, string field)
    {
        var exception = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<CreatePublicationRequest>(json, Binding));

        var failure = ProblemResults.FromJsonException(exception);

        Assert.Equal(field, failure.PropertyName);
        Assert.Contains("not part of the request schema", failure.ErrorMessage);
    }

    [Fact]
    public void An_empty_property_name_is_named_too()
    {
        var exception = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<UpdateCurrentClientRequest>("""{"": null}""", Binding));

        Assert.Equal("", ProblemResults.FromJsonException(exception).PropertyName);
    }

    [Theory]
    [InlineData("""{"user_id":"u","targets":[{}],"media":{"type":"image","url":"https://x"}}""", "targets[0].connection_id")]
    [InlineData("""{"user_id":"u","targets":[{"connection_id":"01936f8e-0000-7000-8000-000000000003"}],"media":[{"url":"https://x"}]}""", "media[0].type")]
    [InlineData("""{"user_id":"u","targets":[],"media":{"type":"image"}}""", "media.url")]
    public void A_required_property_left_out_is_a_validation_failure_naming_it(string json, string field)
    {
        var exception = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<CreatePublicationRequest>(json, Binding));

        var failure = ProblemResults.FromJsonException(exception);

        Assert.Equal(field, failure.PropertyName);
        Assert.Equal("This property is required.", failure.ErrorMessage);
    }

    [Fact]
    public void Json_that_does_not_fit_the_type_stays_a_malformed_body()
    {
        var exception = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<CreatePublicationRequest>("""{"targets":"x"}""", Binding));

        Assert.Equal("malformed_body", ProblemResults.FromJsonException(exception).ErrorCode);
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request", 400, "malformed_request")]
    [InlineData("HTTP/1.1 414 URI Too Long", 414, "uri_too_long")]
    [InlineData("HTTP/1.1 431 Request Header Fields Too Large", 431, "request_headers_too_large")]
    [InlineData("HTTP/1.1 408 Request Timeout", 408, "request_timeout")]
    public void Kestrels_bodiless_rejection_becomes_a_problem_with_its_catalog_code(string statusLine, int status, string code)
    {
        var kestrel = Encoding.ASCII.GetBytes($"{statusLine}\r\nContent-Length: 0\r\nConnection: close\r\nDate: Sat, 05 Dec 2026 09:08:52 GMT\r\nServer: Kestrel\r\n\r\n");

        var rewritten = RejectedRequestProblems.TryRewrite(kestrel, "0HNCONN:00000001");

        Assert.NotNull(rewritten);
        var text = Encoding.ASCII.GetString(rewritten);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = text[..split];
        var body = text[(split + 4)..];
        Assert.StartsWith(statusLine + "\r\n", head);
        Assert.Contains("Content-Type: application/problem+json", head);
        Assert.Contains($"Content-Length: {Encoding.UTF8.GetByteCount(body)}", head);
        Assert.Contains("Connection: close", head);
        Assert.Contains("Date: Sat, 05 Dec 2026 09:08:52 GMT", head);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal("0HNCONN:00000001", problem.GetProperty("trace_id").GetString());
    }

    [Theory]
    // The API's own problems carry a body and a Content-Type.
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 20\r\nContent-Type: application/problem+json\r\nDate: x\r\n\r\n")]
    // A successful empty answer.
    [InlineData("HTTP/1.1 204 No Content\r\nDate: x\r\nServer: Kestrel\r\n\r\n")]
    // An answer that keeps the connection.
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nDate: x\r\n\r\n")]
    // Anything but Kestrel's four headers.
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\nX-Other: 1\r\nDate: x\r\n\r\n")]
    public void Every_other_write_passes_unchanged(string written)
    {
        Assert.Null(RejectedRequestProblems.TryRewrite(Encoding.ASCII.GetBytes(written), "c"));
    }
}
