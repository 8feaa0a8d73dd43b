namespace Orbyt.AppHost;

/// <summary>What every Orbyt service process (api, uploader, token-refresher) is wired to.</summary>
public sealed record OrbytBackingServices(
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<ProjectResource> Migrations,
    IResourceBuilder<ParameterResource> TokenEncryptionKey,
    PlatformCredentials PlatformCredentials,
    IResourceBuilder<ProjectResource>? Sandbox);

public static class OrbytBackingServiceExtensions
{
    /// <summary>
    /// Database and Redis (started and healthy first), the finished schema migration, the token vault key, the
    /// platforms (or the sandbox standing in for them) and the <c>/health</c> check: the same for every service.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOrbytBackingServices(this IResourceBuilder<ProjectResource> service, OrbytBackingServices backing) =>
        service
            .WithReference(backing.Database).WaitFor(backing.Database)
            .WithReference(backing.Redis).WaitFor(backing.Redis)
            .WaitForCompletion(backing.Migrations)
            .WithEnvironment("Orbyt__Vault__Keys__k1", backing.TokenEncryptionKey)
            .WithPlatforms(backing.PlatformCredentials, backing.Sandbox)
            .WithHttpHealthCheck("/health");
}
