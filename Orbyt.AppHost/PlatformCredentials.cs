namespace Orbyt.AppHost;

/// <summary>Platform app credentials as Aspire parameters; in development they default to the ones the sandbox accepts.</summary>
public sealed record PlatformCredentials(
    IResourceBuilder<ParameterResource> MetaAppId,
    IResourceBuilder<ParameterResource> MetaAppSecret,
    IResourceBuilder<ParameterResource> InstagramAppId,
    IResourceBuilder<ParameterResource> InstagramAppSecret,
    IResourceBuilder<ParameterResource> GoogleClientId,
    IResourceBuilder<ParameterResource> GoogleClientSecret);
