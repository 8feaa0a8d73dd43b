using System.Net;
using System.Net.Http.Headers;
using Orbyt.Uploader.Media;

namespace Orbyt.Tests.Media;

public sealed class RangedHttpStreamTests
{
    private static readonly byte[] File = Enumerable.Range(0, 1_000_003).Select(i => (byte)(i * 31 % 251)).ToArray();

    [Fact]
    public async Task Small_reads_large_reads_and_seeks_return_the_files_bytes_in_order()
    {
        var server = new RangeServer(File);
        await using var stream = await RangedHttpStream.OpenAsync(new HttpClient(server), new Uri("http://media.test/v.mp4"), CancellationToken.None);
        var copy = new byte[File.Length];

        // 4 KiB synchronous reads, as Google.Apis' ResumableUpload reads its chunks.
        var position = 0;
        while (position < 300_000)
            position += stream.Read(copy, position, Math.Min(4096, 300_000 - position));
        // A resume at the platform's committed offset, behind what was read ahead.
        stream.Position = 250_000;
        position = 250_000;
        position += await stream.ReadAsync(copy.AsMemory(position, 10));
        // Reads as large as the buffer go straight through.
        while (position < File.Length)
            position += await stream.ReadAsync(copy.AsMemory(position, Math.Min(RangedHttpStream.BufferSize * 2, File.Length - position)));

        Assert.Equal(File, copy);
        Assert.Equal(0, stream.Read(copy, 0, 10));
        Assert.Equal([0L, 250_000L], server.RangeStarts);
    }

    [Fact]
    public async Task A_body_that_ends_early_is_an_error_not_a_short_file()
    {
        var server = new RangeServer(File, truncateTo: 100_000);
        await using var stream = await RangedHttpStream.OpenAsync(new HttpClient(server), new Uri("http://media.test/v.mp4"), CancellationToken.None);
        var buffer = new byte[8192];

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (await stream.ReadAsync(buffer) > 0) { }
        });
    }

    /// <summary>Answers HEAD with the length and GET with the requested range (206), like Mux.</summary>
    private sealed class RangeServer(byte[] file, int? truncateTo = null) : HttpMessageHandler
    {
        public List<long> RangeStarts { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Head)
            {
                var head = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
                head.Content.Headers.ContentLength = file.Length;
                return Task.FromResult(head);
            }
            var from = request.Headers.Range!.Ranges.Single().From!.Value;
            RangeStarts.Add(from);
            var end = Math.Min(file.Length, truncateTo ?? file.Length);
            var response = new HttpResponseMessage(from == 0 ? HttpStatusCode.OK : HttpStatusCode.PartialContent)
            {
                Content = new StreamContent(new MemoryStream(file, (int)from, end - (int)from)),
            };
            response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, file.Length - 1, file.Length);
            return Task.FromResult(response);
        }
    }
}
