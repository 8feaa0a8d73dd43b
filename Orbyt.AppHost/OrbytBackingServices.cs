namespace Orbyt.AppHost;

/// <summary>What every Orbyt service process (api, uploader, token-refresher) is wired to.</summary>
public sealed record OrbytBackingServices(
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<ProjectResource> Migrations,
    IResourceBuilder<ParameterResource> TokenEncryptionKey,
    PlatformCredentials PlatformCredentials,
    IResourceBuilder<ProjectResource>? Sandbox);
