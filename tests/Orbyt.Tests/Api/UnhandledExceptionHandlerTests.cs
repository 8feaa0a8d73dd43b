using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Orbyt.Api.Problems;

namespace Orbyt.Tests.Api;

public sealed class UnhandledExceptionHandlerTests
{
    public static TheoryData<Exception, int, string> Cases => new()
    {
        { new TimeoutException("The operation has timed out."), 503, "service_unavailable" },
        { new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111)), 503, "service_unavailable" },
        { new InvalidOperationException("a bug"), 500, "internal_error" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_database_that_cannot_be_reached_is_a_retryable_503_and_anything_else_unknown_a_500(Exception exception, int status, string code)
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();

        await new UnhandledExceptionHandler(NullLogger<UnhandledExceptionHandler>.Instance).TryHandleAsync(http, exception, CancellationToken.None);

        http.Response.Body.Position = 0;
        var problem = await JsonSerializer.DeserializeAsync<JsonElement>(http.Response.Body);
        Assert.Equal(status, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("retryable").GetBoolean());
        Assert.Equal(status == 503 ? "2" : null, http.Response.Headers.RetryAfter.FirstOrDefault());
        Assert.DoesNotContain("127.0.0.1", problem.ToString());
    }
}
