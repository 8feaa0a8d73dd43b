using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Orbyt.Uploader.Webhooks;

namespace Orbyt.IntegrationTests.Docs;

/// <summary>
/// What docs/quickstart.md hands a new user, run as written (issue 16, item 14): the webhook receiver it gives verifies
/// and prints a delivery signed as Orbyt signs one (webhook-id, webhook-timestamp, verdict, body), and the documented
/// wipe of local data removes it. No AppHost: python3 and bash, as the quickstart needs.
/// </summary>
public sealed class QuickstartTests
{
    private static readonly string Root = RepositoryRoot.Find();

    [Fact]
    public async Task The_quickstart_receiver_prints_the_webhook_timestamp_and_verifies_what_orbyt_signs()
    {
        var quickstart = await File.ReadAllTextAsync(Path.Combine(Root, "docs", "quickstart.md"));
        const string open = "cat > /tmp/receiver.py <<'PY'\n";
        var start = quickstart.IndexOf(open, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/quickstart.md no longer writes /tmp/receiver.py");
        start += open.Length;
        var script = quickstart[start..quickstart.IndexOf("\nPY\n", start, StringComparison.Ordinal)];
        var file = Path.Combine(Directory.CreateTempSubdirectory("orbyt-quickstart-").FullName, "receiver.py");
        await File.WriteAllTextAsync(file, script + "\n");

        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var port = FreePort();
        var info = new ProcessStartInfo("python3", ["-u", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["WEBHOOK_SECRET"] = secret;
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var receiver = Process.Start(info)!;
        var lines = new List<string>();
        receiver.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        receiver.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            const string body = """{"type":"job.published","timestamp":"2026-12-05T10:00:00Z","data":{"job":{"id":"j1"}}}""";
            var now = DateTimeOffset.UtcNow;
            var signed = WebhookSigner.Headers("msg_quickstart", now, body, [secret]);

            // Python takes a moment to listen: retry the connection, not the verdict.
            var answer = await SendWhenListeningAsync(http, signed, body);
            Assert.Equal(HttpStatusCode.NoContent, answer);
            var tampered = await SendWhenListeningAsync(http, signed, body.Replace("j1", "j2", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.Unauthorized, tampered);

            await Eventually.TrueAsync(() => { lock (lines) return lines.Count >= 2; }, "the receiver's two lines", TimeSpan.FromSeconds(20));
            string[] output;
            lock (lines) output = [.. lines];
            Assert.Equal($"msg_quickstart {signed.Timestamp} verified {body}", output[0]);
            Assert.StartsWith($"msg_quickstart {signed.Timestamp} REJECTED (signature)", output[1]);
        }
        finally
        {
            receiver.Kill(entireProcessTree: true);
            await receiver.WaitForExitAsync();
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public async Task The_documented_reset_removes_the_local_data_directory()
    {
        var data = Directory.CreateTempSubdirectory("orbyt-reset-");
        Directory.CreateDirectory(Path.Combine(data.FullName, "postgres", "base"));
        await File.WriteAllTextAsync(Path.Combine(data.FullName, "postgres", "base", "16384"), "rows");
        var info = new ProcessStartInfo("bash", [Path.Combine(Root, "scripts", "reset-data.sh"), "--data-directory", data.FullName])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root,
        };
        using var reset = Process.Start(info)!;
        var output = await reset.StandardOutput.ReadToEndAsync() + await reset.StandardError.ReadToEndAsync();
        await reset.WaitForExitAsync();

        if (reset.ExitCode == 1 && output.Contains("The AppHost is running", StringComparison.Ordinal))
        {
            // A developer's AppHost is up on this machine: the script refused, as it must; the data is untouched.
            Assert.True(Directory.Exists(data.FullName));
            data.Delete(recursive: true);
            return;
        }
        Assert.True(reset.ExitCode == 0, output);
        Assert.Contains($"Removed {data.FullName}", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data.FullName));
    }

    private static async Task<HttpStatusCode> SendWhenListeningAsync(HttpClient http, WebhookSignatureHeaders signed, string body)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/orbyt") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(WebhookSignatureHeaders.IdHeader, signed.Id);
            request.Headers.Add(WebhookSignatureHeaders.TimestampHeader, signed.Timestamp);
            request.Headers.Add(WebhookSignatureHeaders.SignatureHeader, signed.Signature);
            try
            {
                using var response = await http.SendAsync(request);
                return response.StatusCode;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(Eventually.PollInterval);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
