namespace Orbyt.AppHost;

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
