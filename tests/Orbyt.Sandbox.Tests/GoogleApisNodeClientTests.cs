namespace Orbyt.Sandbox.Tests;

/// <summary>
/// Google's own Node client (npm googleapis and google-auth-library, tests/node-googleapis) against this sandbox: the OAuth
/// code exchange, getTokenInfo() (bearer on POST /tokeninfo, §5.6), videos.insert as multipart and as media (§15.8) and
/// videos.list (§15.7), a refresh after a 401 and a quotaExceeded error (§6.8). The Node twin of
/// <see cref="GoogleApisUploadTests"/>. Needs node and npm (scripts/prerequisites.sh node).
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class GoogleApisNodeClientTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly NodePackage Package = NodePackage.InRepository("tests", "node-googleapis");

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => sandbox.ResetAsync();

    [Fact]
    public async Task The_googleapis_node_client_connects_uploads_with_multipart_and_media_and_reads_the_videos_back()
    {
        await Package.NpmCiAsync();

        var output = await Package.RunAsync("npm", ["test"], TimeSpan.FromMinutes(5), new Dictionary<string, string>
        {
            ["ORBYT_SANDBOX_URL"] = sandbox.BaseUri.ToString(),
        });

        NodePackage.AssertNodeTestsPassed(output);
        Assert.Matches(@"(?m)^ok \d+ - connect, upload with metadata \(multipart\) and without \(media\)", output);
    }
}
