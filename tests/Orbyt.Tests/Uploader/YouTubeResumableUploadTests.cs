using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Media;
using Orbyt.Uploader.Platforms.YouTube;

namespace Orbyt.Tests.Uploader;

/// <summary>The streamed resumable upload (reference §6.4) against a session that behaves as YouTube's does.</summary>
public sealed class YouTubeResumableUploadTests
{
    private static readonly byte[] File = Enumerable.Range(0, 3 * 1024 * 1024 + 123).Select(i => (byte)(i * 7 % 253)).ToArray();
    private static readonly Uri Session = new("http://youtube.test/upload/youtube/v3/videos?uploadType=resumable&upload_id=u1");

    [Fact]
    public async Task The_session_is_started_with_the_metadata_and_every_byte_streams_through_the_relay_buffer_to_the_video()
    {
        var youtube = new FakeSession(File.Length);
        var (uploads, source) = await ArrangeAsync(youtube, new NoWaitTime());
        var session = await uploads.StartAsync("ya29.token", new YouTubeVideo { Snippet = new YouTubeSnippet { Title = "T" } }, File.Length, "video/mp4", false, CancellationToken.None);
        var progress = new List<long>();

        var video = await uploads.SendAsync(session, "ya29.token", source, 0, new byte[64 * 1024], (sent, _) => { progress.Add(sent); return ValueTask.CompletedTask; }, CancellationToken.None);

        Assert.Equal("vid-1", video.Id);
        Assert.Equal(File, youtube.Received.ToArray());
        Assert.Equal("""{"snippet":{"title":"T"}}""", youtube.Metadata);
        Assert.Equal(File.Length.ToString(), youtube.DeclaredLength);
        Assert.Equal(File.Length, progress[^1]);
        Assert.True(progress.Count > File.Length / (64 * 1024), "progress is heard after each buffer written");
    }

    [Fact]
    public async Task An_interrupted_put_is_resumed_from_the_offset_the_session_reports_never_by_resending_blindly()
    {
        var youtube = new FakeSession(File.Length) { CutAfter = 1024 * 1024 + 5 };
        var time = new NoWaitTime();
        var (uploads, source) = await ArrangeAsync(youtube, time);

        var video = await uploads.SendAsync(Session, "ya29.token", source, 0, new byte[256 * 1024], (_, _) => ValueTask.CompletedTask, CancellationToken.None);

        Assert.Equal("vid-1", video.Id);
        Assert.Equal(File, youtube.Received.ToArray());
        Assert.Equal([$"bytes 0-{File.Length - 1}/{File.Length}", $"bytes */{File.Length}", $"bytes {1024 * 1024 + 5}-{File.Length - 1}/{File.Length}"], youtube.Ranges);
        Assert.Equal([TimeSpan.FromSeconds(1)], time.Delays);
    }

    [Fact]
    public async Task A_platform_error_on_the_put_is_the_platforms_answer_not_an_interruption()
    {
        var youtube = new FakeSession(File.Length) { Refuse = HttpStatusCode.Forbidden };
        var (uploads, source) = await ArrangeAsync(youtube, new NoWaitTime());

        var error = await Assert.ThrowsAsync<YouTubeApiException>(() => uploads.SendAsync(Session, "ya29.token", source, 0, new byte[65536], (_, _) => ValueTask.CompletedTask, CancellationToken.None));

        Assert.Equal(("forbidden", HttpStatusCode.Forbidden), (error.Reason, error.Status));
        Assert.Single(youtube.Ranges);
    }

    private static async Task<(YouTubeResumableUpload, RangedHttpStream)> ArrangeAsync(FakeSession youtube, TimeProvider time)
    {
        var uploads = new YouTubeResumableUpload(new HttpClient(youtube), Options.Create(new GoogleOptions { YouTubeBaseUrl = new Uri("http://youtube.test/") }), time);
        var source = await RangedHttpStream.OpenAsync(new HttpClient(new MediaServer(File)), new Uri("http://media.test/v.mp4"), CancellationToken.None);
        return (uploads, source);
    }

    /// <summary>Timers that fire at once, remembering what was asked for: the backoff is seen without waiting for it.</summary>
    private sealed class NoWaitTime : TimeProvider
    {
        public List<TimeSpan> Delays { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Delays.Add(dueTime);
            return System.CreateTimer(callback, state, TimeSpan.Zero, period);
        }
    }

    /// <summary>A resumable session: persists what arrives (also from a cut PUT), answers 308 with Range, then 200 with the video.</summary>
    private sealed class FakeSession(long length) : HttpMessageHandler
    {
        public MemoryStream Received { get; } = new();
        public List<string> Ranges { get; } = [];
        public string? Metadata { get; private set; }
        public string? DeclaredLength { get; private set; }
        public long? CutAfter { get; set; }
        public HttpStatusCode? Refuse { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post)
            {
                Metadata = await request.Content!.ReadAsStringAsync(cancellationToken);
                DeclaredLength = request.Headers.GetValues("X-Upload-Content-Length").Single();
                var started = new HttpResponseMessage(HttpStatusCode.OK);
                started.Headers.Location = Session;
                return started;
            }

            var range = request.Content!.Headers.ContentRange!;
            Ranges.Add(range.ToString());
            if (Refuse is { } status)
                return Json(status, """{"error":{"code":403,"message":"Forbidden","errors":[{"reason":"forbidden","domain":"youtube.video"}]}}""");
            if (range.HasRange)
            {
                Assert.Equal(Received.Length, range.From);
                var sink = new CuttingSink(Received, CutAfter);
                CutAfter = null;
                await request.Content.CopyToAsync(sink, cancellationToken);
            }

            if (Received.Length == length)
                return Json(HttpStatusCode.OK, """{"id":"vid-1","status":{"uploadStatus":"uploaded"}}""");
            var incomplete = new HttpResponseMessage((HttpStatusCode)308);
            if (Received.Length > 0) incomplete.Headers.Add("Range", $"bytes=0-{Received.Length - 1}");
            return incomplete;
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
            new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    /// <summary>Keeps what is written; with a cut, fails the write that passes it, as a dropped connection does.</summary>
    private sealed class CuttingSink(MemoryStream target, long? cutAfter) : Stream
    {
        private long _written;

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (cutAfter is { } cut && _written + count > cut)
            {
                target.Write(buffer, offset, (int)(cut - _written));
                throw new HttpRequestException("connection reset", new IOException("reset"));
            }
            target.Write(buffer, offset, count);
            _written += count;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>HEAD with the length, GET with the requested range.</summary>
    private sealed class MediaServer(byte[] file) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var from = request.Headers.Range?.Ranges.Single().From ?? 0;
            var response = new HttpResponseMessage(from == 0 ? HttpStatusCode.OK : HttpStatusCode.PartialContent)
            {
                Content = request.Method == HttpMethod.Head ? new ByteArrayContent([]) : new StreamContent(new MemoryStream(file, (int)from, file.Length - (int)from)),
            };
            response.Content.Headers.ContentLength = file.Length - from;
            return Task.FromResult(response);
        }
    }
}
