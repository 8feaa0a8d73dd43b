namespace Orbyt.AppHost;

/// <summary>
/// Platform app credentials as Aspire parameters (in development they default to the sandbox's) and, unless
/// <c>Orbyt:Platforms</c> is <c>real</c>, the sandbox every platform base URL points at.
/// </summary>
public sealed record PlatformCredentials(
    IResourceBuilder<ParameterResource> MetaAppId,
    IResourceBuilder<ParameterResource> MetaAppSecret,
    IResourceBuilder<ParameterResource> GoogleClientId,
    IResourceBuilder<ParameterResource> GoogleClientSecret)
{
    public IResourceBuilder<ProjectResource>? Sandbox { get; init; }
}

public static class PlatformCredentialExtensions
{
    public static PlatformCredentials AddPlatformCredentials(this IDistributedApplicationBuilder builder)
    {
        var credentials = new PlatformCredentials(
            builder.AddParameter("meta-app-id", "1234567890"),
            builder.AddParameter("meta-app-secret", "sandbox-meta-secret", secret: true),
            builder.AddParameter("google-client-id", "sandbox-client.apps.googleusercontent.com"),
            builder.AddParameter("google-client-secret", "sandbox-google-secret", secret: true));

        if (builder.Configuration["Orbyt:Platforms"] == "real")
            return credentials;

        // The sandbox accepts exactly the credentials the services use.
        var sandbox = builder.AddProject<Projects.Orbyt_Sandbox>("sandbox")
            .WithEnvironment("Sandbox__Meta__AppId", credentials.MetaAppId)
            .WithEnvironment("Sandbox__Meta__AppSecret", credentials.MetaAppSecret)
            .WithEnvironment("Sandbox__Google__ClientId", credentials.GoogleClientId)
            .WithEnvironment("Sandbox__Google__ClientSecret", credentials.GoogleClientSecret)
            .WithHttpHealthCheck("/health");
        return credentials with { Sandbox = sandbox };
    }

    public static IResourceBuilder<ProjectResource> WithPlatforms(this IResourceBuilder<ProjectResource> project, PlatformCredentials credentials)
    {
        project
            .WithEnvironment("Platforms__Meta__AppId", credentials.MetaAppId)
            .WithEnvironment("Platforms__Meta__AppSecret", credentials.MetaAppSecret)
            .WithEnvironment("Platforms__Google__ClientId", credentials.GoogleClientId)
            .WithEnvironment("Platforms__Google__ClientSecret", credentials.GoogleClientSecret);
        if (credentials.Sandbox is not { } sandbox)
            return project;

        var url = sandbox.GetEndpoint("http");
        return project
            .WithEnvironment("Platforms__Meta__DialogBaseUrl", ReferenceExpression.Create($"{url}/facebook/"))
            .WithEnvironment("Platforms__Meta__GraphBaseUrl", ReferenceExpression.Create($"{url}/graph/"))
            .WithEnvironment("Platforms__Meta__GraphVideoBaseUrl", ReferenceExpression.Create($"{url}/graph-video/"))
            .WithEnvironment("Platforms__Meta__RuploadBaseUrl", ReferenceExpression.Create($"{url}/rupload/"))
            .WithEnvironment("Platforms__Google__AccountsBaseUrl", ReferenceExpression.Create($"{url}/google-accounts/"))
            .WithEnvironment("Platforms__Google__OAuth2BaseUrl", ReferenceExpression.Create($"{url}/google-oauth2/"))
            .WithEnvironment("Platforms__Google__YouTubeBaseUrl", ReferenceExpression.Create($"{url}/youtube/"))
            .WithEnvironment("Platforms__Mux__StreamBaseUrl", ReferenceExpression.Create($"{url}/mux-stream/"))
            .WithEnvironment("Platforms__Sandbox__BaseUrl", url)
            // Media from the sandbox's Mux (http, loopback) is accepted in Development only.
            .WithEnvironment("Orbyt__Media__DevelopmentOrigins__0", url)
            .WaitFor(sandbox);
    }
}
