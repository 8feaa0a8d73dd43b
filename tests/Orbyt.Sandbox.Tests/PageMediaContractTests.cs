using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>Facebook Page photos and videos on graph-video.facebook.com: every way bytes can arrive.</summary>
[Collection(SandboxCollection.Name)]
public sealed class PageMediaContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private const long Window = 1024 * 1024;
    private string _pageId = "";
    private string _pageToken = "";

    public async Task InitializeAsync()
    {
        await sandbox.ResetAsync();
        (var userToken, _pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        _pageToken = await FlowHelpers.PageTokenAsync(sandbox, userToken, _pageId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<JsonNode> PhaseAsync(string phase, Dictionary<string, string> form, HttpContent? chunk = null)
    {
        form["upload_phase"] = phase;
        form["access_token"] = _pageToken;
        if (chunk is null)
        {
            return sandbox.PostGraphAsync($"{_pageId}/videos", form, "graph-video");
        }

        var multipart = new MultipartFormDataContent();
        foreach (var (key, value) in form)
        {
            multipart.Add(new StringContent(value), key);
        }

        multipart.Add(chunk, "video_file_chunk", "chunk.mp4");
        return sandbox.PostGraphContentAsync($"{_pageId}/videos", multipart, "graph-video");
    }

    private static ByteArrayContent FilePart(byte[] bytes, string type)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(type);
        return part;
    }

    private async Task<JsonNode> VideoStatusAsync(string videoId) =>
        (await sandbox.GetJsonAsync($"graph/v24.0/{videoId}?fields=status,published&access_token={_pageToken}"))["status"]!;

    [Fact]
    public async Task The_legacy_start_transfer_finish_phases_move_in_1_MiB_windows_and_the_sandbox_records_the_bytes_hash()
    {
        var file = FlowHelpers.FakeMp4((int)(2.5 * Window));
        var start = await PhaseAsync("start", new() { ["file_size"] = file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal("0", start["start_offset"]!.GetValue<string>());
        Assert.Equal("1048576", start["end_offset"]!.GetValue<string>());
        var sessionId = start["upload_session_id"]!.GetValue<string>();
        var videoId = start["video_id"]!.GetValue<string>();
        Assert.All(new[] { sessionId, videoId }, id => Assert.True(id.All(char.IsDigit), id));

        var early = await PhaseAsync("finish", new() { ["upload_session_id"] = sessionId });
        Assert.Equal(6001, FlowHelpers.GraphError(early).Code);

        var offsets = new List<(long, long)>();
        long from = 0, to = Window;
        while (from != to)
        {
            var transfer = await PhaseAsync("transfer", new() { ["upload_session_id"] = sessionId, ["start_offset"] = from.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                FilePart(file[(int)from..(int)to], "application/octet-stream"));
            from = long.Parse(transfer["start_offset"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            to = long.Parse(transfer["end_offset"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            offsets.Add((from, to));
        }

        Assert.Equal([(Window, 2 * Window), (2 * Window, file.Length), (file.Length, file.Length)], offsets);
        Assert.Equal("uploading", (await VideoStatusAsync(videoId))["video_status"]!.GetValue<string>());

        var finish = await PhaseAsync("finish", new() { ["upload_session_id"] = sessionId, ["title"] = "Legacy", ["description"] = "three windows" });
        Assert.True(finish["success"]!.GetValue<bool>());
        var published = Assert.Single(await sandbox.PublishedAsync(_pageId))!;
        Assert.Equal(videoId, published["id"]!.GetValue<string>());
        Assert.Equal("video", published["type"]!.GetValue<string>());
        Assert.Equal("Legacy", published["title"]!.GetValue<string>());
        Assert.Equal("three windows", published["caption"]!.GetValue<string>());
        Assert.Equal(file.Length, published["byte_length"]!.GetValue<long>());
        Assert.Equal(FlowHelpers.Sha256(file), published["sha256"]!.GetValue<string>());

        Assert.Equal("processing", (await VideoStatusAsync(videoId))["video_status"]!.GetValue<string>());
        await sandbox.AdvanceClockAsync(31);
        var ready = await VideoStatusAsync(videoId);
        Assert.Equal("ready", ready["video_status"]!.GetValue<string>());
        Assert.Equal(file.Length, ready["uploading_phase"]!["bytes_transferred"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_legacy_transfer_at_the_wrong_offset_or_session_is_refused_and_the_upload_continues_from_the_committed_offset()
    {
        var file = FlowHelpers.FakeMp4((int)Window + 10);
        var start = await PhaseAsync("start", new() { ["file_size"] = file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var sessionId = start["upload_session_id"]!.GetValue<string>();

        var skipped = await PhaseAsync("transfer", new() { ["upload_session_id"] = sessionId, ["start_offset"] = "1048576" }, FilePart(file[(int)Window..], "application/octet-stream"));
        Assert.Equal((6001, 1363019), FlowHelpers.GraphError(skipped));
        var unknown = await PhaseAsync("transfer", new() { ["upload_session_id"] = "42", ["start_offset"] = "0" }, FilePart(file, "application/octet-stream"));
        Assert.Equal(100, FlowHelpers.GraphError(unknown).Code);
        var noChunk = await PhaseAsync("transfer", new() { ["upload_session_id"] = sessionId, ["start_offset"] = "0" });
        Assert.Equal(100, FlowHelpers.GraphError(noChunk).Code);

        var first = await PhaseAsync("transfer", new() { ["upload_session_id"] = sessionId, ["start_offset"] = "0" }, FilePart(file[..(int)Window], "application/octet-stream"));
        Assert.Equal("1048576", first["start_offset"]!.GetValue<string>());
        var last = await PhaseAsync("transfer", new() { ["upload_session_id"] = sessionId, ["start_offset"] = "1048576" }, FilePart(file[(int)Window..], "application/octet-stream"));
        Assert.Equal(last["start_offset"]!.GetValue<string>(), last["end_offset"]!.GetValue<string>());
        Assert.True((await PhaseAsync("finish", new() { ["upload_session_id"] = sessionId }))["success"]!.GetValue<bool>());
        Assert.Equal(FlowHelpers.Sha256(file), Assert.Single(await sandbox.PublishedAsync(_pageId))!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_page_video_by_file_url_is_fetched_like_meta_does_and_refused_with_352_when_it_is_not_an_mp4()
    {
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 300_000 });
        var video = await sandbox.PostGraphAsync($"{_pageId}/videos",
            new() { ["file_url"] = asset["url"]!.GetValue<string>(), ["title"] = "From Mux", ["description"] = "pulled", ["access_token"] = _pageToken }, "graph-video");
        var videoId = video["id"]!.GetValue<string>();
        var published = Assert.Single(await sandbox.PublishedAsync(_pageId))!;
        Assert.Equal(videoId, published["id"]!.GetValue<string>());
        Assert.Equal(asset["sha256"]!.GetValue<string>(), published["sha256"]!.GetValue<string>());
        Assert.Equal(300_000, published["byte_length"]!.GetValue<long>());
        var fetches = (await sandbox.GetJsonAsync("_sandbox/calls"))["paths"]![$"GET /mux-stream/{asset["playback_id"]}/highest.mp4"]!;
        Assert.Equal(1, fetches.GetValue<int>());

        var jpeg = await sandbox.PostGraphAsync($"{_pageId}/videos", new() { ["file_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["access_token"] = _pageToken }, "graph-video");
        Assert.Equal(352, FlowHelpers.GraphError(jpeg).Code);
        var missing = await sandbox.PostGraphAsync($"{_pageId}/videos", new() { ["file_url"] = sandbox.Url("_sandbox/media/not-found"), ["access_token"] = _pageToken }, "graph-video");
        Assert.NotNull(missing["error"]);
        Assert.Single(await sandbox.PublishedAsync(_pageId));
    }

    [Fact]
    public async Task A_page_video_and_a_page_photo_sent_as_multipart_source_are_hashed_as_received()
    {
        var file = FlowHelpers.FakeMp4(70_000, seed: 3);
        using var videoForm = new MultipartFormDataContent
        {
            { new StringContent(_pageToken), "access_token" },
            { new StringContent("Multipart"), "title" },
            { FilePart(file, "video/mp4"), "source", "clip.mp4" },
        };
        var video = await sandbox.PostGraphContentAsync($"{_pageId}/videos", videoForm, "graph-video");
        Assert.NotNull(video["id"]);

        var jpeg = await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.jpg");
        using var photoForm = new MultipartFormDataContent
        {
            { new StringContent(_pageToken), "access_token" },
            { new StringContent("A photo"), "message" },
            { FilePart(jpeg, "image/jpeg"), "source", "photo.jpg" },
        };
        var photo = await sandbox.PostGraphContentAsync($"{_pageId}/photos", photoForm);
        Assert.StartsWith(_pageId + "_", photo["post_id"]!.GetValue<string>());

        var published = await sandbox.PublishedAsync(_pageId);
        Assert.Equal(["video", "photo"], published.Select(p => p!["type"]!.GetValue<string>()).ToArray());
        Assert.Equal(FlowHelpers.Sha256(file), published[0]!["sha256"]!.GetValue<string>());
        Assert.Equal(FlowHelpers.Sha256(jpeg), published[1]!["sha256"]!.GetValue<string>());
        Assert.Equal("A photo", published[1]!["caption"]!.GetValue<string>());

        using var textAsVideo = new MultipartFormDataContent
        {
            { new StringContent(_pageToken), "access_token" },
            { FilePart("not a video"u8.ToArray(), "video/mp4"), "source", "clip.mp4" },
        };
        Assert.Equal(352, FlowHelpers.GraphError(await sandbox.PostGraphContentAsync($"{_pageId}/videos", textAsVideo, "graph-video")).Code);
    }

    [Fact]
    public async Task A_photo_url_meta_cannot_fetch_answers_324_2069019_and_the_same_bytes_as_a_source_part_are_published_with_their_hash()
    {
        // §2.2: a Page photo comes from `url` (Meta fetches it) or a multipart file part `source`; JPEG/PNG/GIF/BMP/TIFF,
        // ≤ 10 MB. §12.9: 2069019 is "invalid file". A host that blocks Meta's crawler (§2.4) makes the url fail.
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 80_000, width = 1280, height = 720 });
        var imageUrl = asset["image_url"]!.GetValue<string>();
        await sandbox.FaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 1 });

        var refused = await sandbox.PostGraphAsync($"{_pageId}/photos", new() { ["url"] = imageUrl, ["message"] = "blocked", ["access_token"] = _pageToken });
        Assert.Equal((324, 2069019), FlowHelpers.GraphError(refused));
        Assert.Equal("(#324) Missing or invalid image file", refused["error"]!["message"]!.GetValue<string>());
        Assert.True(refused["error"]!["is_transient"]!.GetValue<bool>());
        Assert.Empty(await sandbox.PublishedAsync(_pageId));

        // The same photo, read by us (not Meta's crawler) and sent as the file part.
        var jpeg = await sandbox.Http.GetByteArrayAsync(imageUrl);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("pushed"), "message" },
            { new StringContent(_pageToken), "access_token" },
            { FilePart(jpeg, "image/jpeg"), "source", "photo" },
        };
        var photo = await sandbox.PostGraphContentAsync($"{_pageId}/photos", form);
        Assert.StartsWith(_pageId + "_", photo["post_id"]!.GetValue<string>());
        var published = Assert.Single(await sandbox.PublishedAsync(_pageId));
        Assert.Equal(photo["id"]!.GetValue<string>(), published!["id"]!.GetValue<string>());
        Assert.Equal("photo", published["type"]!.GetValue<string>());
        Assert.Equal("pushed", published["caption"]!.GetValue<string>());
        Assert.Equal(FlowHelpers.Sha256(jpeg), published["sha256"]!.GetValue<string>());
        Assert.Equal(jpeg.Length, published["byte_length"]!.GetValue<long>());

        // The part is judged by its bytes, not its Content-Type or name: text labelled image/jpeg, and a JPEG over
        // 10 MB, are 324 without the fetch subcode, and nothing is published.
        var tooLarge = new byte[10 * 1024 * 1024 + 1];
        jpeg.CopyTo(tooLarge, 0);
        foreach (var bytes in new[] { "not an image at all"u8.ToArray(), tooLarge })
        {
            using var bad = new MultipartFormDataContent
            {
                { new StringContent(_pageToken), "access_token" },
                { FilePart(bytes, "image/jpeg"), "source", "photo.jpg" },
            };
            Assert.Equal((324, (int?)null), FlowHelpers.GraphError(await sandbox.PostGraphContentAsync($"{_pageId}/photos", bad)));
        }
        Assert.Single(await sandbox.PublishedAsync(_pageId));
    }

    [Fact]
    public async Task A_scripted_facebook_processing_failure_puts_the_message_in_processing_phase_and_nothing_is_published()
    {
        await sandbox.FaultAsync(new { kind = "processing_failure", platform = "facebook", message = "Resolution too low." });
        using var form = new MultipartFormDataContent
        {
            { new StringContent(_pageToken), "access_token" },
            { FilePart(FlowHelpers.FakeMp4(5000), "video/mp4"), "source", "clip.mp4" },
        };
        var videoId = (await sandbox.PostGraphContentAsync($"{_pageId}/videos", form, "graph-video"))["id"]!.GetValue<string>();

        await sandbox.AdvanceClockAsync(31);
        var status = await VideoStatusAsync(videoId);
        Assert.Equal("error", status["video_status"]!.GetValue<string>());
        Assert.Equal("error", status["processing_phase"]!["status"]!.GetValue<string>());
        Assert.Equal("Resolution too low.", status["processing_phase"]!["error"]!["message"]!.GetValue<string>());
        Assert.Empty(await sandbox.PublishedAsync(_pageId));
    }
}
