using System.Net;
using System.Net.Sockets;

namespace Orbyt.Core.Security;

/// <summary>
/// SSRF guard for every URL Orbyt calls on a customer's behalf (webhook endpoints, per-publication callback_url,
/// media URLs). A URL must be https (plain http only for the development allow-list) and its host must resolve
/// only to public unicast addresses. Checking at registration is not enough — DNS can change between the check and
/// the request (rebinding) — so <see cref="ConnectAsync"/> re-checks the address actually connected to; use
/// <see cref="CreateHandler"/> for a handler wired that way, with redirects and proxies off.
/// Hosts on the allow-list (development only: localhost, 127.0.0.1) skip the address check.
/// </summary>
public sealed class OutboundUrlGuard
{
    private readonly HashSet<string> _allowedHosts;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public OutboundUrlGuard(IEnumerable<string>? allowedDevelopmentHosts = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _allowedHosts = new HashSet<string>((allowedDevelopmentHosts ?? []).Select(NormalizeHost), StringComparer.OrdinalIgnoreCase);
        _resolve = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));
    }

    public bool IsAllowedHost(string host) => _allowedHosts.Contains(NormalizeHost(host));

    /// <summary>Scheme, host and allow-list checks only (no DNS).</summary>
    public OutboundUrlCheck CheckSyntax(string? url) => CheckSyntax(url, out _);

    private OutboundUrlCheck CheckSyntax(string? url, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var parsed))
            return new(OutboundUrlVerdict.Invalid, "not an absolute URL");
        if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
            return new(OutboundUrlVerdict.Invalid, "the scheme must be https");
        if (!string.IsNullOrEmpty(parsed.UserInfo))
            return new(OutboundUrlVerdict.Invalid, "credentials in the URL are not allowed");
        if (string.IsNullOrEmpty(parsed.Host))
            return new(OutboundUrlVerdict.Invalid, "the URL has no host");
        var allowedHost = IsAllowedHost(parsed.DnsSafeHost);
        if (parsed.Scheme == Uri.UriSchemeHttp && !allowedHost)
            return new(OutboundUrlVerdict.Invalid, "the scheme must be https");
        if (!allowedHost && IPAddress.TryParse(parsed.DnsSafeHost, out var literal) && IsForbidden(literal))
            return new(OutboundUrlVerdict.Forbidden, "the address is internal");
        uri = parsed;
        return OutboundUrlCheck.Allowed;
    }

    /// <summary>Full check: syntax, then every address the host resolves to must be public.</summary>
    public async Task<OutboundUrlCheck> CheckAsync(string? url, CancellationToken ct = default)
    {
        var syntax = CheckSyntax(url, out var uri);
        if (!syntax.IsAllowed || uri is null)
            return syntax;
        if (IsAllowedHost(uri.DnsSafeHost))
            return OutboundUrlCheck.Allowed;
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.DnsSafeHost, ct);
        }
        catch (SocketException)
        {
            return new(OutboundUrlVerdict.Unresolvable, "the host does not resolve");
        }
        if (addresses.Length == 0)
            return new(OutboundUrlVerdict.Unresolvable, "the host does not resolve");
        return addresses.Any(IsForbidden) ? new(OutboundUrlVerdict.Forbidden, "the host resolves to an internal address") : OutboundUrlCheck.Allowed;
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host itself, refuses when any address is
    /// internal (unless the host is allow-listed), and connects to the checked address — so what was checked is
    /// what is connected to.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, ct);
        if (addresses.Length == 0)
            throw new SocketException((int)SocketError.HostNotFound);
        if (!IsAllowedHost(host) && addresses.Any(IsForbidden))
            throw new OutboundAddressForbiddenException(host);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A handler for customer-supplied URLs: guarded connects, no redirects, no proxy, no cookies.</summary>
    public SocketsHttpHandler CreateHandler(TimeSpan connectTimeout) => new()
    {
        ConnectCallback = ConnectAsync,
        ConnectTimeout = connectTimeout,
        AllowAutoRedirect = false,
        // A proxy would make the connection to the proxy, not to the checked address.
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.None,
    };

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        host = NormalizeHost(host);
        return IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, ct);
    }

    private static string NormalizeHost(string host) => host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.');

    /// <summary>True for every address a customer URL must not reach.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            return IsForbiddenV4(address.MapToIPv4());
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsForbiddenV4(address),
            AddressFamily.InterNetworkV6 => IsForbiddenV6(address),
            _ => true,
        };
    }

    private static bool IsForbiddenV4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] switch
        {
            0 => true,                                   // 0.0.0.0/8 "this network"
            10 => true,                                  // 10/8 private
            100 when (b[1] & 0xC0) == 64 => true,        // 100.64/10 carrier-grade NAT
            127 => true,                                 // loopback
            169 when b[1] == 254 => true,                // link-local, incl. 169.254.169.254 (cloud metadata)
            172 when (b[1] & 0xF0) == 16 => true,        // 172.16/12 private
            192 when b[1] == 0 && b[2] == 0 => true,     // 192.0.0/24 IETF protocol assignments
            192 when b[1] == 0 && b[2] == 2 => true,     // TEST-NET-1
            192 when b[1] == 88 && b[2] == 99 => true,   // 6to4 relay anycast
            192 when b[1] == 168 => true,                // 192.168/16 private
            198 when (b[1] & 0xFE) == 18 => true,        // 198.18/15 benchmarking
            198 when b[1] == 51 && b[2] == 100 => true,  // TEST-NET-2
            203 when b[1] == 0 && b[2] == 113 => true,   // TEST-NET-3
            >= 224 => true,                              // multicast, reserved, broadcast
            _ => false,
        };
    }

    private static bool IsForbiddenV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Loopback)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
            return true;
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if ((b[0] & 0xFE) == 0xFC) return true;                                        // fc00::/7 unique local
        if (b[..12].IndexOfAnyExcept((byte)0) < 0) return true;                        // ::/96 IPv4-compatible (deprecated), :: and ::1
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)              // 64:ff9b::/96 NAT64: check the embedded IPv4
            return IsForbiddenV4(new IPAddress(b[12..16]));
        if (b[0] == 0x20 && b[1] == 0x02)                                              // 2002::/16 6to4: check the embedded IPv4
            return IsForbiddenV4(new IPAddress(b[2..6]));
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return true; // 2001::/32 Teredo
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return true; // 2001:db8::/32 documentation
        if (b[0] == 0x01 && b[1] == 0x00 && b[2..8].IndexOfAnyExcept((byte)0) < 0) return true; // 100::/64 discard
        return false;
    }
}
