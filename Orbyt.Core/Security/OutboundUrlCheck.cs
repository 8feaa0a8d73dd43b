namespace Orbyt.Core.Security;

public sealed record OutboundUrlCheck(OutboundUrlVerdict Verdict, string? Reason = null)
{
    public static readonly OutboundUrlCheck Allowed = new(OutboundUrlVerdict.Allowed);
    public bool IsAllowed => Verdict == OutboundUrlVerdict.Allowed;
}
