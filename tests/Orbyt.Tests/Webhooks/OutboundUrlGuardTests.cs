using System.Net;
using System.Net.Sockets;
using Orbyt.Core.Security;

namespace Orbyt.Tests.Webhooks;

public sealed class OutboundUrlGuardTests
{
    private static readonly OutboundUrlGuard Production = new([], FakeDns);
    private static readonly OutboundUrlGuard Development = new(["localhost", "127.0.0.1"], FakeDns);

    /// <summary>No network in unit tests: a few names resolve to fixed addresses, the rest do not exist.</summary>
    private static Task<IPAddress[]> FakeDns(string host, CancellationToken ct) => host switch
    {
        "localhost" => Task.FromResult(new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }),
        "hooks.example.com" => Task.FromResult(new[] { IPAddress.Parse("93.184.215.14"), IPAddress.Parse("2606:2800:21f:cb07:6820:80da:af6b:8b2c") }),
        "rebind.example.com" => Task.FromResult(new[] { IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.0.0.7") }),
        "metadata.example.com" => Task.FromResult(new[] { IPAddress.Parse("169.254.169.254") }),
        _ => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)),
    };

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://127.1.2.3/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://172.16.0.1/hook")]
    [InlineData("https://172.31.255.255/hook")]
    [InlineData("https://192.168.1.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("https://224.0.0.1/hook")]
    [InlineData("https://255.255.255.255/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://[::ffff:10.0.0.1]/hook")]
    [InlineData("https://[::]/hook")]
    [InlineData("https://[fc00::1]/hook")]
    [InlineData("https://[fd12:3456::1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("https://[ff02::1]/hook")]
    [InlineData("https://[64:ff9b::a00:1]/hook")]
    [InlineData("https://[2002:a00:1::]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://metadata.example.com/hook")]
    [InlineData("https://rebind.example.com/hook")]
    public async Task Urls_reaching_internal_addresses_are_forbidden(string url)
    {
        var check = await Production.CheckAsync(url);

        Assert.Equal(OutboundUrlVerdict.Forbidden, check.Verdict);
    }

    [Theory]
    [InlineData("https://93.184.215.14/hook")]
    [InlineData("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook")]
    [InlineData("https://hooks.example.com/orbyt?token=abc")]
    [InlineData("https://172.32.0.1/hook")]
    [InlineData("https://100.128.0.1/hook")]
    public async Task Https_urls_reaching_public_addresses_are_allowed(string url)
    {
        var check = await Production.CheckAsync(url);

        Assert.Equal(OutboundUrlVerdict.Allowed, check.Verdict);
    }

    [Theory]
    [InlineData("http://hooks.example.com/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("ftp://hooks.example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:pw@hooks.example.com/hook")]
    [InlineData("/relative/hook")]
    [InlineData("")]
    public async Task Non_https_relative_or_credential_urls_are_invalid(string url)
    {
        var check = await Production.CheckAsync(url);

        Assert.Equal(OutboundUrlVerdict.Invalid, check.Verdict);
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_is_reported_as_such()
    {
        var check = await Production.CheckAsync("https://nowhere.invalid/hook");

        Assert.Equal(OutboundUrlVerdict.Unresolvable, check.Verdict);
    }

    [Theory]
    [InlineData("http://localhost:5999/hook")]
    [InlineData("http://127.0.0.1:5999/hook")]
    [InlineData("https://localhost/hook")]
    public async Task Development_hosts_may_use_plain_http_and_loopback(string url)
    {
        var check = await Development.CheckAsync(url);

        Assert.Equal(OutboundUrlVerdict.Allowed, check.Verdict);
    }

    [Theory]
    [InlineData("http://10.0.0.1/hook", OutboundUrlVerdict.Invalid)]
    [InlineData("https://10.0.0.1/hook", OutboundUrlVerdict.Forbidden)]
    [InlineData("https://[::1]/hook", OutboundUrlVerdict.Forbidden)]
    [InlineData("http://hooks.example.com/hook", OutboundUrlVerdict.Invalid)]
    public async Task The_development_allow_list_covers_only_its_own_hosts(string url, OutboundUrlVerdict expected)
    {
        var check = await Development.CheckAsync(url);

        Assert.Equal(expected, check.Verdict);
    }

    [Fact]
    public async Task The_connect_callback_refuses_a_host_that_now_resolves_to_an_internal_address()
    {
        // Registration saw a public address; at connect time DNS answers with a private one (rebinding).
        var guard = new OutboundUrlGuard([], (_, _) => Task.FromResult(new[] { IPAddress.Parse("192.168.0.10") }));
        using var client = new HttpClient(guard.CreateHandler(TimeSpan.FromSeconds(2)));

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("https://hooks.example.com/hook"));

        Assert.IsType<OutboundAddressForbiddenException>(ex.InnerException);
    }

    [Fact]
    public async Task The_connect_callback_refuses_an_internal_ip_literal()
    {
        using var client = new HttpClient(Production.CreateHandler(TimeSpan.FromSeconds(2)));

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://127.0.0.1:9/hook"));

        Assert.IsType<OutboundAddressForbiddenException>(ex.InnerException);
    }

    [Fact]
    public void The_guarded_handler_follows_no_redirects_and_uses_no_proxy()
    {
        using var handler = Production.CreateHandler(TimeSpan.FromSeconds(2));

        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseProxy);
        Assert.NotNull(handler.ConnectCallback);
    }
}
