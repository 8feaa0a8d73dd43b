using System.Security.Claims;

namespace Orbyt.Api.Security;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The API client the request acts for; every query is scoped by it.</summary>
    public static Guid ClientId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ApiKeyAuthenticationHandler.ClientIdClaim) ?? throw new InvalidOperationException("Request is not authenticated."));

    public static bool IsAdmin(this ClaimsPrincipal user) => user.FindFirstValue(ApiKeyAuthenticationHandler.AdminClaim) == "true";
}
