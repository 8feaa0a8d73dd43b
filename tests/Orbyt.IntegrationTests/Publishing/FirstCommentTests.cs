using System.Net;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Issue 17, first comment: its own step after the post (reference §12.6, §13.6), probed after a lost answer, and a
/// failure that leaves the post published — checked against the comments the sandbox holds.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class FirstCommentTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private Scenario _scenario = null!;
    private ApiCaller _api = null!;
    private SandboxControl _sandbox = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "comment");
        (_api, _sandbox, _userId) = (_scenario.Api, _scenario.Sandbox, _scenario.UserId);
    }

    public async Task DisposeAsync()
    {
        await (await _sandbox.Http.DeleteAsync("/_sandbox/faults")).Content.ReadAsStringAsync();
        _scenario.Dispose();
    }

    private async Task<(ConnectedAccount Facebook, ConnectedAccount Instagram)> ConnectMetaAsync()
    {
        await _scenario.NewIdentityAsync();
        return (await _scenario.ConnectAccountAsync("facebook"), await _scenario.ConnectAccountAsync("instagram"));
    }

    private string Image => _sandbox.Url("_sandbox/media/image.jpg");

    private async Task<JsonElement[]> PublishAndWaitAsync(object body)
    {
        var created = await _api.JsonAsync(HttpMethod.Post, "/v1/publications", body, HttpStatusCode.Accepted);
        var publication = await _scenario.WaitForPublicationAsync(created.GetProperty("id").GetString()!, clock: SandboxClockMove.EveryPoll, poll: Poll);
        Assert.True(publication.GetProperty("status").GetString() == "published", publication.ToString());
        return publication.GetProperty("jobs").EnumerateArray().ToArray();
    }

    private static JsonElement Comments(JsonElement published) => published.GetProperty("comments");

    [Fact]
    public async Task The_first_comment_is_made_once_under_the_facebook_and_the_instagram_post_and_the_job_result_names_it()
    {
        var (facebook, instagram) = await ConnectMetaAsync();

        var jobs = await PublishAndWaitAsync(new
        {
            user_id = _userId,
            targets = new object[]
            {
                new { connection_id = facebook.ConnectionId },
                new { connection_id = instagram.ConnectionId, first_comment = "More mugs: link in bio #mugs" },
            },
            media = new { type = "image", url = Image },
            caption = "Red mug",
            first_comment = "Shop the mug: https://shop.example/mug",
        });

        foreach (var (account, text) in new[] { (facebook, "Shop the mug: https://shop.example/mug"), (instagram, "More mugs: link in bio #mugs") })
        {
            var published = Assert.Single(await _sandbox.PublishedAsync(account.AccountId));
            var comment = Assert.Single(Comments(published).EnumerateArray());
            Assert.Equal(text, comment.GetProperty("message").GetString());
            Assert.Equal(account.AccountId, comment.GetProperty("author_id").GetString());
            var job = jobs.Single(j => j.GetProperty("connection_id").GetString() == account.ConnectionId);
            var result = job.GetProperty("result").GetProperty("first_comment");
            Assert.Equal("published", result.GetProperty("status").GetString());
            Assert.Equal(comment.GetProperty("id").GetString(), result.GetProperty("id").GetString());
            Assert.Empty(job.GetProperty("result").GetProperty("warnings").EnumerateArray());
        }
    }

    [Fact]
    public async Task A_first_comment_whose_answer_was_lost_is_found_by_listing_the_posts_comments_and_is_not_made_twice()
    {
        var (_, instagram) = await ConnectMetaAsync();
        // The comment is made, then the connection drops before the answer: the Uploader cannot know it exists.
        await _sandbox.AddFaultAsync(new { kind = "drop_response", platform = "meta", method = "POST", path_suffix = "/comments", count = 1 });

        var job = Assert.Single(await PublishAndWaitAsync(new
        {
            user_id = _userId, targets = new[] { new { connection_id = instagram.ConnectionId } }, media = new { type = "image", url = Image },
            caption = "Red mug", first_comment = "First!",
        }));

        var published = Assert.Single(await _sandbox.PublishedAsync(instagram.AccountId));
        var comment = Assert.Single(Comments(published).EnumerateArray());
        Assert.Equal(comment.GetProperty("id").GetString(), job.GetProperty("result").GetProperty("first_comment").GetProperty("id").GetString());
        var paths = (await _sandbox.CallsAsync()).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains(paths, p => p.StartsWith("GET /graph/", StringComparison.Ordinal) && p.EndsWith($"/{published.GetProperty("id").GetString()}/comments", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_first_comment_the_platform_refuses_leaves_the_post_published_with_first_comment_failed_and_a_warning()
    {
        var (facebook, _) = await ConnectMetaAsync();
        await _sandbox.AddFaultAsync(new { kind = "error", platform = "meta", method = "POST", path_suffix = "/comments", code = 100, status = 400, message = "(#100) Comments are turned off for this post", count = 1 });

        var job = Assert.Single(await PublishAndWaitAsync(new
        {
            user_id = _userId, targets = new[] { new { connection_id = facebook.ConnectionId } }, media = new { type = "image", url = Image },
            caption = "Red mug", first_comment = "First!",
        }));

        Assert.Equal("published", job.GetProperty("status").GetString());
        var result = job.GetProperty("result");
        Assert.False(string.IsNullOrEmpty(result.GetProperty("platform_post_id").GetString()));
        var comment = result.GetProperty("first_comment");
        Assert.Equal("failed", comment.GetProperty("status").GetString());
        Assert.Equal("first_comment_failed", comment.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("100", comment.GetProperty("error").GetProperty("platform").GetProperty("code").GetString());
        Assert.Contains(result.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "first_comment_failed");
        // Published once, never again, and without a comment.
        var published = Assert.Single(await _sandbox.PublishedAsync(facebook.AccountId));
        Assert.Empty(Comments(published).EnumerateArray());
    }

    [Fact]
    public async Task A_first_comment_where_it_cannot_go_is_refused_before_anything_is_queued()
    {
        var (facebook, instagram) = await ConnectMetaAsync();
        var youtube = await _scenario.ConnectAccountAsync("youtube");
        async Task RefusedAsync(object body, string code, HttpStatusCode status = HttpStatusCode.BadRequest)
        {
            using var response = await _api.SendAsync(HttpMethod.Post, "/v1/publications", body);
            await ApiProblem.AssertAsync(response, status, code);
        }
        var video = new { type = "video", url = "https://stream.mux.com/abc/highest.mp4" };

        // YouTube: commentThreads.insert needs youtube.force-ssl, which is not asked.
        await RefusedAsync(new { user_id = _userId, targets = new[] { new { connection_id = youtube.ConnectionId, first_comment = "Hi" } }, media = video, title = "t" },
            "first_comment_not_supported");
        // A story takes no comments: its own first_comment is refused, and a publication's that no target takes too.
        await RefusedAsync(new { user_id = _userId, targets = new[] { new { connection_id = instagram.ConnectionId, format = "story", first_comment = "Hi" } }, media = video },
            "first_comment_not_supported");
        await RefusedAsync(new { user_id = _userId, targets = new[] { new { connection_id = instagram.ConnectionId, format = "story" } }, media = video, first_comment = "Hi" },
            "first_comment_not_supported");
        // Instagram's 2,200 characters; blank text.
        await RefusedAsync(new { user_id = _userId, targets = new[] { new { connection_id = instagram.ConnectionId } }, media = video, first_comment = new string('a', 2201) },
            "first_comment_invalid");
        await RefusedAsync(new { user_id = _userId, targets = new[] { new { connection_id = facebook.ConnectionId } }, media = video, first_comment = "  " },
            "first_comment_invalid");

        // The publication's first comment goes only where it can: the YouTube target takes none, the Facebook target does.
        using var mixed = await _api.SendAsync(HttpMethod.Post, "/v1/publications/validate", new
        {
            user_id = _userId, targets = new[] { new { connection_id = youtube.ConnectionId }, new { connection_id = facebook.ConnectionId } },
            media = video, title = "t", first_comment = "Hi",
        });
        Assert.Equal(HttpStatusCode.OK, mixed.StatusCode);
        Assert.DoesNotContain("first_comment_", await mixed.Content.ReadAsStringAsync());
        var jobs = await _api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={_userId}");
        Assert.Empty(jobs.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_first_comment_to_a_connection_made_without_the_comment_permission_asks_for_a_reconnect()
    {
        var identity = await _scenario.NewIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!,
            metaScopes: ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "business_management"]);
        var facebook = await _scenario.ConnectAccountAsync("facebook");

        using var response = await _api.SendAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId, targets = new[] { new { connection_id = facebook.ConnectionId } }, media = new { type = "image", url = Image }, first_comment = "Hi",
        });

        var problem = await ApiProblem.AssertAsync(response, HttpStatusCode.Forbidden, "first_comment_permission_missing");
        Assert.Contains("pages_manage_engagement", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("reauth_required").GetBoolean());
    }
}
