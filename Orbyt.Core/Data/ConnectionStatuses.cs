namespace Orbyt.Core.Data;

public static class ConnectionStatuses
{
    public const string Active = "active";
    public const string ReauthRequired = "reauth_required";
    public const string Revoked = "revoked";
}
