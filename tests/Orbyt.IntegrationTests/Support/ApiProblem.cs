using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Support;

/// <summary>Every error the API answers is a problem document with the catalog's fields (docs/errors.md).</summary>
public static class ApiProblem
{
    /// <summary>Asserts the status, the media type, the catalog code and the fields every problem carries; returns the document.</summary>
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("retryable", out _));
        Assert.True(problem.TryGetProperty("reauth_required", out _));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("trace_id").GetString()));
        return problem;
    }
}
