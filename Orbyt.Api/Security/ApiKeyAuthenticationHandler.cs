using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Orbyt.Api.Problems;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Security;

/// <summary>Authenticates <c>X-Api-Key</c> against the stored key hashes; failures answer with a catalog problem.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    OrbytDbContext db,
    ApiKeyCache keys,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string ClientIdClaim = "orbyt:client_id";
    public const string KeyIdClaim = "orbyt:key_id";
    public const string AdminClaim = "orbyt:admin";
    private const string FailureItem = "orbyt:auth_failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // No key is not a failed authentication but none attempted (health probes, the OAuth callback, the document):
        // NoResult, so nothing is logged for it; a route that needs a key still answers 401 api_key_missing.
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || string.IsNullOrEmpty(values.ToString()))
            return AuthenticateResult.NoResult();

        if (!ApiKeys.TryParse(values.ToString(), out var keyId, out var secret))
            return Fail(ErrorCatalog.ApiKeyInvalid);

        var key = await keys.GetAsync(db, keyId, Context.RequestAborted);
        if (key is null || !ApiKeys.Verify(secret, key.SecretHash))
            return Fail(ErrorCatalog.ApiKeyInvalid);
        if (key.RevokedAt is not null && key.RevokedAt <= time.GetUtcNow())
            return Fail(ErrorCatalog.ApiKeyRevoked);

        var identity = new ClaimsIdentity(
        [
            new Claim(ClientIdClaim, key.ClientId.ToString()),
            new Claim(KeyIdClaim, key.Id.ToString()),
            new Claim(AdminClaim, key.IsAdmin ? "true" : "false"),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var error = Context.Items[FailureItem] as Core.Errors.ErrorDefinition ?? ErrorCatalog.ApiKeyMissing;
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        return ProblemResults.WriteAsync(Context, error);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResults.WriteAsync(Context, ErrorCatalog.Forbidden);

    private AuthenticateResult Fail(Core.Errors.ErrorDefinition error)
    {
        Context.Items[FailureItem] = error;
        return AuthenticateResult.Fail(error.Code);
    }
}
