namespace Orbyt.Core.Security;

public enum OutboundUrlVerdict
{
    Allowed,
    /// <summary>Not an absolute URL, wrong scheme, credentials in it, or plain http to a host not allowed for it.</summary>
    Invalid,
    /// <summary>The host does not resolve.</summary>
    Unresolvable,
    /// <summary>The host is, or resolves to, an internal address (loopback, private, link-local, multicast…).</summary>
    Forbidden,
}
