namespace Orbyt.Api.Features.Connections;

/// <summary>
/// What the Facebook Login dialog asks for in one connect flow (<c>Orbyt:OAuth:Facebook</c>, <c>Orbyt:OAuth:Instagram</c>):
/// the permissions, or a Facebook Login for Business configuration that names them instead (reference §1.1).
/// </summary>
public sealed class MetaLoginFlow
{
    /// <summary>The permissions the dialog's <c>scope</c> asks for; they must include what publishing needs.</summary>
    public string[] Scopes { get; set; } = [];

    /// <summary>
    /// A Facebook Login for Business configuration id (App Dashboard → Facebook Login for Business → Configurations).
    /// When set, the dialog carries <c>config_id</c> instead of <c>scope</c>, and the configuration decides the permissions;
    /// what the login granted is still checked against what publishing needs.
    /// </summary>
    public string? ConfigId { get; set; }
}
