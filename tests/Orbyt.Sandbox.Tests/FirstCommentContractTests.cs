using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>First comments as Meta takes them: Page posts (reference §12.6), Instagram media (§13.6).</summary>
[Collection(SandboxCollection.Name)]
public sealed class FirstCommentContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly string[] CommentScopes = [.. FlowHelpers.PublishingScopes, "pages_manage_engagement", "instagram_manage_comments"];

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string UserToken, string PageId, string PageToken, string IgId)> AccountAsync(string[] scopes)
    {
        var meta = (await FlowHelpers.DefaultIdentityAsync(sandbox))["meta"]!;
        var token = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, meta["user_id"]!.GetValue<string>(), scopes);
        var page = meta["pages"]![0]!;
        var pageId = page["id"]!.GetValue<string>();
        return (token, pageId, await FlowHelpers.PageTokenAsync(sandbox, token, pageId), page["instagram_business_account"]!["id"]!.GetValue<string>());
    }

    private async Task<(string ContainerId, string MediaId)> InstagramImageAsync(string token, string igId)
    {
        var container = (await sandbox.PostGraphAsync($"{igId}/media", new()
        {
            ["image_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["caption"] = "Mug", ["access_token"] = token,
        }))["id"]!.GetValue<string>();
        var media = (await sandbox.PostGraphAsync($"{igId}/media_publish", new() { ["creation_id"] = container, ["access_token"] = token }))["id"]!.GetValue<string>();
        return (container, media);
    }

    [Fact]
    public async Task An_instagram_comment_goes_on_the_published_media_id_with_instagram_manage_comments_and_is_listed_back()
    {
        var (token, _, _, igId) = await AccountAsync(CommentScopes);
        var (container, media) = await InstagramImageAsync(token, igId);

        // §13.6: comment on the published media id, never on the container id; message is required.
        Assert.Equal(100, FlowHelpers.GraphError(await sandbox.PostGraphAsync($"{container}/comments", new() { ["message"] = "First!", ["access_token"] = token })).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await sandbox.PostGraphAsync($"{media}/comments", new() { ["message"] = " ", ["access_token"] = token })).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await sandbox.PostGraphAsync($"{media}/comments", new() { ["message"] = new string('a', 2201), ["access_token"] = token })).Code);

        var comment = await sandbox.PostGraphAsync($"{media}/comments", new() { ["message"] = "Link in bio #mugs", ["access_token"] = token });

        var id = comment["id"]!.GetValue<string>();
        // GET /{ig-media-id}/comments lists it (IG Media comments reference), with the fields asked for.
        var listed = await sandbox.GetJsonAsync($"graph/v24.0/{media}/comments?fields=id,text,username,from&access_token={token}");
        var only = Assert.Single(listed["data"]!.AsArray())!;
        Assert.Equal(id, only["id"]!.GetValue<string>());
        Assert.Equal("Link in bio #mugs", only["text"]!.GetValue<string>());
        Assert.Equal(igId, only["from"]!["id"]!.GetValue<string>());
        var published = Assert.Single(await sandbox.PublishedAsync(igId))!;
        var shown = Assert.Single(published["comments"]!.AsArray())!;
        Assert.Equal("Link in bio #mugs", shown["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_instagram_comment_without_instagram_manage_comments_is_a_permission_error()
    {
        var (token, _, _, igId) = await AccountAsync(FlowHelpers.PublishingScopes);
        var (_, media) = await InstagramImageAsync(token, igId);

        var error = await sandbox.PostGraphAsync($"{media}/comments", new() { ["message"] = "First!", ["access_token"] = token });

        Assert.Equal(10, FlowHelpers.GraphError(error).Code);
        Assert.Empty(Assert.Single(await sandbox.PublishedAsync(igId))!["comments"]!.AsArray());
    }

    [Fact]
    public async Task A_page_comment_is_made_with_the_page_token_and_pages_manage_engagement_on_the_post_or_the_photo_id()
    {
        var (userToken, pageId, pageToken, _) = await AccountAsync(CommentScopes);
        var photo = await sandbox.PostGraphAsync($"{pageId}/photos", new()
        {
            ["url"] = sandbox.Url("_sandbox/media/image.jpg"), ["message"] = "Mug", ["access_token"] = pageToken,
        });
        var postId = photo["post_id"]!.GetValue<string>();

        // §12.6: the Page's token (the comment is authored by the Page); an empty message alone is rejected.
        Assert.Equal(100, FlowHelpers.GraphError(await sandbox.PostGraphAsync($"{postId}/comments", new() { ["message"] = "First!", ["access_token"] = userToken })).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await sandbox.PostGraphAsync($"{postId}/comments", new() { ["message"] = "", ["access_token"] = pageToken })).Code);

        var onPost = await sandbox.PostGraphAsync($"{postId}/comments", new() { ["message"] = "Shop: example.com", ["access_token"] = pageToken });
        var onPhoto = await sandbox.PostGraphAsync($"{photo["id"]!.GetValue<string>()}/comments", new() { ["message"] = "Second", ["access_token"] = pageToken });

        Assert.NotNull(onPost["id"]);
        Assert.NotNull(onPhoto["id"]);
        var listed = await sandbox.GetJsonAsync($"graph/v24.0/{postId}/comments?fields=id,message,from&order=reverse_chronological&access_token={pageToken}");
        Assert.Equal(["Second", "Shop: example.com"], listed["data"]!.AsArray().Select(c => c!["message"]!.GetValue<string>()).ToArray());
        Assert.All(listed["data"]!.AsArray(), c => Assert.Equal(pageId, c!["from"]!["id"]!.GetValue<string>()));
        Assert.Equal(2, Assert.Single(await sandbox.PublishedAsync(pageId))!["comments"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_page_comment_without_pages_manage_engagement_is_a_permission_error()
    {
        var (_, pageId, pageToken, _) = await AccountAsync(FlowHelpers.PublishingScopes);
        var postId = (await sandbox.PostGraphAsync($"{pageId}/photos", new()
        {
            ["url"] = sandbox.Url("_sandbox/media/image.jpg"), ["message"] = "Mug", ["access_token"] = pageToken,
        }))["post_id"]!.GetValue<string>();

        var error = await sandbox.PostGraphAsync($"{postId}/comments", new() { ["message"] = "First!", ["access_token"] = pageToken });

        Assert.Equal(200, FlowHelpers.GraphError(error).Code);
    }
}
