namespace Orbyt.AppHost.Infrastructure;

/// <summary>The Redis server and the Orbyt database, whichever way they run.</summary>
public sealed record OrbytInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> Database);
