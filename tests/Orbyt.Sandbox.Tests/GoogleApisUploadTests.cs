using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Services;
using Google.Apis.Upload;

namespace Orbyt.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class GoogleApisUploadTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private const int FileSize = 3 * 1024 * 1024;

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(SandboxYouTubeService Service, string ChannelId)> ServiceAsync()
    {
        var (service, channelId, _) = await SandboxYouTubeService.ForDefaultIdentityAsync(sandbox);
        return (service, channelId);
    }

    private static VideoInsertUpload Upload(SandboxYouTubeService service, byte[] file) => new(
        service,
        new UploadVideo
        {
            Snippet = new UploadSnippet { Title = "Sandbox upload", Description = "Uploaded by Google.Apis", CategoryId = "22" },
            Status = new UploadVideoStatus { PrivacyStatus = "private", SelfDeclaredMadeForKids = false },
        },
        new MemoryStream(file),
        "video/mp4") { ChunkSize = 1024 * 1024 };

    private async Task AssertRecordedAsync(string channelId, byte[] file, UploadVideo? response)
    {
        Assert.NotNull(response?.Id);
        Assert.Equal("uploaded", response!.Status?.UploadStatusValue);
        var published = await sandbox.PublishedAsync(channelId);
        var item = Assert.Single(published);
        Assert.Equal(response.Id, item!["id"]!.GetValue<string>());
        Assert.Equal(FlowHelpers.Sha256(file), item["sha256"]!.GetValue<string>());
        Assert.Equal(file.Length, item["byte_length"]!.GetValue<long>());
        Assert.Equal("Sandbox upload", item["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_multi_chunk_upload_with_Google_Apis_completes_and_the_sandbox_records_the_same_sha256()
    {
        var (service, channelId) = await ServiceAsync();
        var file = FlowHelpers.FakeMp4(FileSize);
        var upload = Upload(service, file);

        var progress = await upload.UploadAsync();

        Assert.Equal(UploadStatus_Completed, progress.Status);
        await AssertRecordedAsync(channelId, file, upload.ResponseBody);
        var calls = (await sandbox.GetJsonAsync("_sandbox/calls"))["paths"]!;
        Assert.Equal(3, calls["PUT /youtube/upload/youtube/v3/videos"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_Google_Apis_upload_survives_an_injected_503_by_resuming()
    {
        var (service, channelId) = await ServiceAsync();
        await sandbox.FaultAsync(new { kind = "transient", path_prefix = "/youtube/upload/", method = "PUT", count = 1, status = 503 });
        var file = FlowHelpers.FakeMp4(FileSize, seed: 11);
        var upload = Upload(service, file);

        var progress = await upload.UploadAsync();

        Assert.True(progress.Status == UploadStatus_Completed, progress.Exception?.ToString());
        await AssertRecordedAsync(channelId, file, upload.ResponseBody);
    }

    [Fact]
    public async Task A_Google_Apis_upload_survives_a_connection_cut_mid_chunk_by_resuming_from_the_committed_range()
    {
        var (service, channelId) = await ServiceAsync();
        await sandbox.FaultAsync(new { kind = "cut_connection", path_prefix = "/youtube/upload/", method = "PUT", count = 1, after_bytes = 1_300_000 });
        var file = FlowHelpers.FakeMp4(FileSize, seed: 12);
        var upload = Upload(service, file);

        var progress = await upload.UploadAsync();

        Assert.True(progress.Status == UploadStatus_Completed, progress.Exception?.ToString());
        await AssertRecordedAsync(channelId, file, upload.ResponseBody);
    }

    [Fact]
    public async Task A_Google_Apis_upload_survives_a_503_and_then_a_cut_connection()
    {
        var (service, channelId) = await ServiceAsync();
        await sandbox.FaultAsync(new { kind = "transient", path_prefix = "/youtube/upload/", method = "PUT", count = 1 });
        await sandbox.FaultAsync(new { kind = "cut_connection", path_prefix = "/youtube/upload/", method = "PUT", count = 1, after_bytes = 300_000 });
        var file = FlowHelpers.FakeMp4(FileSize, seed: 13);
        var upload = Upload(service, file);

        var progress = await upload.UploadAsync();

        Assert.True(progress.Status == UploadStatus_Completed, progress.Exception?.ToString());
        await AssertRecordedAsync(channelId, file, upload.ResponseBody);
    }

    [Fact]
    public async Task An_exhausted_upload_quota_fails_the_Google_Apis_upload_with_quotaExceeded()
    {
        var (service, _) = await ServiceAsync();
        await sandbox.PostControlAsync("_sandbox/quotas/exhaust", new { quota = "youtube_inserts" });
        var upload = Upload(service, FlowHelpers.FakeMp4(300_000));

        var progress = await upload.UploadAsync();

        Assert.Equal(UploadStatus_Failed, progress.Status);
        var error = Assert.IsType<global::Google.GoogleApiException>(progress.Exception);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.HttpStatusCode);
        Assert.Equal("quotaExceeded", error.Error.Errors[0].Reason);
        Assert.Equal("youtube.quota", error.Error.Errors[0].Domain);
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_once_by_Google_Apis_and_the_upload_continues()
    {
        var (service, channelId) = await ServiceAsync();
        var refreshToken = ((UserCredential)service.HttpClientInitializer).Token.RefreshToken;
        await sandbox.PostControlAsync("_sandbox/tokens/expire", new { token = ((UserCredential)service.HttpClientInitializer).Token.AccessToken });
        var file = FlowHelpers.FakeMp4(600_000, seed: 3);
        var upload = Upload(service, file);

        var progress = await upload.UploadAsync();

        Assert.True(progress.Status == UploadStatus_Completed, progress.Exception?.ToString());
        await AssertRecordedAsync(channelId, file, upload.ResponseBody);
        var grants = (await sandbox.GetJsonAsync("_sandbox/calls"))["refresh_grants"]!;
        Assert.Equal(1, grants[refreshToken]!.GetValue<int>());
    }

    private const UploadStatus UploadStatus_Completed = UploadStatus.Completed;
    private const UploadStatus UploadStatus_Failed = UploadStatus.Failed;
}
