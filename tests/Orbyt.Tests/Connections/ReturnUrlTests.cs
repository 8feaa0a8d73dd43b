using Orbyt.Api.Features.Clients;

namespace Orbyt.Tests.Connections;

public sealed class ReturnUrlTests
{
    [Theory]
    [InlineData("https://app.orbyt.example/connections/", true)]
    [InlineData("http://localhost:3000/", true)]
    [InlineData("https://app.orbyt.example/connections", false)]
    [InlineData("https://app.orbyt.example/?next=/", false)]
    [InlineData("https://user:pw@app.orbyt.example/", false)]
    [InlineData("javascript:alert(1)//", false)]
    [InlineData("/relative/", false)]
    [InlineData("ftp://app.orbyt.example/", false)]
    public void Allowed_return_url_prefixes_must_be_absolute_http_paths_ending_in_a_slash(string prefix, bool valid)
    {
        Assert.Equal(valid, ReturnUrls.IsValidPrefix(prefix));
    }
}
