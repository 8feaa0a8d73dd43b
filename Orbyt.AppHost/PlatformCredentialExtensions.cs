namespace Orbyt.AppHost;

public static class PlatformCredentialExtensions
{
    public static PlatformCredentials AddPlatformCredentials(this IDistributedApplicationBuilder builder) => new(
        builder.AddParameter("meta-app-id", "1234567890"),
        builder.AddParameter("meta-app-secret", "sandbox-meta-secret", secret: true),
        // Instagram Login's own app id and secret (App Dashboard → Instagram → API setup with Instagram login).
        builder.AddParameter("instagram-app-id", "9876543210"),
        builder.AddParameter("instagram-app-secret", "sandbox-instagram-secret", secret: true),
        builder.AddParameter("google-client-id", "sandbox-client.apps.googleusercontent.com"),
        builder.AddParameter("google-client-secret", "sandbox-google-secret", secret: true));

    /// <summary>
    /// The sandbox accepts exactly the credentials the services use, and runs the Meta app with "Require App Secret" on:
    /// the services send appsecret_proof on every Graph call, and the sandbox refuses any call that lacks it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAcceptedCredentials(this IResourceBuilder<ProjectResource> sandbox, PlatformCredentials credentials) =>
        sandbox
            .WithEnvironment("Sandbox__Meta__AppId", credentials.MetaAppId)
            .WithEnvironment("Sandbox__Meta__AppSecret", credentials.MetaAppSecret)
            .WithEnvironment("Sandbox__Meta__RequireAppSecretProof", "true")
            .WithEnvironment("Sandbox__Meta__InstagramAppId", credentials.InstagramAppId)
            .WithEnvironment("Sandbox__Meta__InstagramAppSecret", credentials.InstagramAppSecret)
            .WithEnvironment("Sandbox__Google__ClientId", credentials.GoogleClientId)
            .WithEnvironment("Sandbox__Google__ClientSecret", credentials.GoogleClientSecret);

    /// <summary>
    /// Gives a service the platform credentials and, when there is a sandbox, points every platform base URL at it
    /// (without one, the services keep the real platforms' URLs).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPlatforms(this IResourceBuilder<ProjectResource> project, PlatformCredentials credentials,
        IResourceBuilder<ProjectResource>? sandbox)
    {
        project
            .WithEnvironment("Platforms__Meta__AppId", credentials.MetaAppId)
            .WithEnvironment("Platforms__Meta__AppSecret", credentials.MetaAppSecret)
            .WithEnvironment("Platforms__Meta__InstagramAppId", credentials.InstagramAppId)
            .WithEnvironment("Platforms__Meta__InstagramAppSecret", credentials.InstagramAppSecret)
            .WithEnvironment("Platforms__Google__ClientId", credentials.GoogleClientId)
            .WithEnvironment("Platforms__Google__ClientSecret", credentials.GoogleClientSecret);
        if (sandbox is null)
            return project;

        var url = sandbox.GetEndpoint("http");
        return project
            .WithEnvironment("Platforms__Meta__DialogBaseUrl", ReferenceExpression.Create($"{url}/facebook/"))
            .WithEnvironment("Platforms__Meta__GraphBaseUrl", ReferenceExpression.Create($"{url}/graph/"))
            .WithEnvironment("Platforms__Meta__RuploadBaseUrl", ReferenceExpression.Create($"{url}/rupload/"))
            .WithEnvironment("Platforms__Meta__InstagramAuthorizeBaseUrl", ReferenceExpression.Create($"{url}/instagram/"))
            .WithEnvironment("Platforms__Meta__InstagramApiBaseUrl", ReferenceExpression.Create($"{url}/instagram-api/"))
            .WithEnvironment("Platforms__Meta__InstagramGraphBaseUrl", ReferenceExpression.Create($"{url}/graph-instagram/"))
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
