namespace Orbyt.AppHost;

/// <summary>Platform app credentials as Aspire parameters; in development they default to the ones the sandbox accepts.</summary>
public sealed record PlatformCredentials(
    IResourceBuilder<ParameterResource> MetaAppId,
    IResourceBuilder<ParameterResource> MetaAppSecret,
    IResourceBuilder<ParameterResource> GoogleClientId,
    IResourceBuilder<ParameterResource> GoogleClientSecret);
