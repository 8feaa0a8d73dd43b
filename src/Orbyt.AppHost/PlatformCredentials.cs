namespace Orbyt.AppHost;

/// <summary>Platform app credentials as Aspire parameters. In development they default to the sandbox's.</summary>
public sealed record PlatformCredentials(
    IResourceBuilder<ParameterResource> MetaAppId,
    IResourceBuilder<ParameterResource> MetaAppSecret,
    IResourceBuilder<ParameterResource> GoogleClientId,
    IResourceBuilder<ParameterResource> GoogleClientSecret);

public static class PlatformCredentialExtensions
{
    public static PlatformCredentials AddPlatformCredentials(this IDistributedApplicationBuilder builder) => new(
        builder.AddParameter("meta-app-id", "1234567890"),
        builder.AddParameter("meta-app-secret", "sandbox-meta-secret", secret: true),
        builder.AddParameter("google-client-id", "sandbox-client.apps.googleusercontent.com"),
        builder.AddParameter("google-client-secret", "sandbox-google-secret", secret: true));

    public static IResourceBuilder<ProjectResource> WithPlatforms(this IResourceBuilder<ProjectResource> project, PlatformCredentials credentials) => project
        .WithEnvironment("Platforms__Meta__AppId", credentials.MetaAppId)
        .WithEnvironment("Platforms__Meta__AppSecret", credentials.MetaAppSecret)
        .WithEnvironment("Platforms__Google__ClientId", credentials.GoogleClientId)
        .WithEnvironment("Platforms__Google__ClientSecret", credentials.GoogleClientSecret);
}
