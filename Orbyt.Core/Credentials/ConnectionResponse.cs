using Orbyt.Core.Data;

namespace Orbyt.Core.Credentials;

/// <summary>
/// A connection as the API returns it and as every <c>connection.*</c> webhook carries it (<c>{connection: …}</c>), built
/// in one place so the API and the workers emit the same shape. Never contains a token.
/// </summary>
/// <param name="Login">How the account was logged in: facebook (Facebook Login through a Page), instagram (Instagram Login, no Page) or google.</param>
/// <param name="TokenExpiresAt">When the stored grant stops working without a refresh or a reconnect (Meta: the data-access window; Google: the access token, refreshed automatically).</param>
public sealed record ConnectionResponse(
    Guid Id,
    string UserId,
    string Platform,
    string Login,
    AccountResponse Account,
    string Status,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? TokenExpiresAt,
    DateTimeOffset? LastRefreshedAt,
    DateTimeOffset ConnectedAt,
    string? ReauthReason)
{
    public static ConnectionResponse From(Connection c, Credential? credential) => new(
        c.Id, c.UserId, c.Platform, c.Login,
        new AccountResponse(c.AccountId, c.AccountName, c.AccountUsername, c.AvatarUrl),
        c.Status, c.Scopes,
        credential is null ? null : credential.AccessTokenExpiresAt ?? credential.GrantExpiresAt,
        credential?.LastRefreshedAt,
        c.ConnectedAt, c.ReauthReason);
}
