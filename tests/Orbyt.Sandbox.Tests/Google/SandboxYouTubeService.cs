using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Services;

namespace Orbyt.Sandbox.Tests;

/// <summary>A minimal YouTube service for Google.Apis' own client, pointed at the sandbox (the generated YouTube package is not served here).</summary>
public sealed class SandboxYouTubeService(BaseClientService.Initializer initializer) : BaseClientService(initializer)
{
    public override string Name => "youtube";
    public override string BaseUri => BaseUriOverride ?? "https://youtube.googleapis.com/";
    public override string BasePath => "";
    public override IList<string> Features => [];

    /// <summary>The service as the default identity's Google.Apis <see cref="UserCredential"/> calls it: its channel id and access token too.</summary>
    public static async Task<(SandboxYouTubeService Service, string ChannelId, string AccessToken)> ForDefaultIdentityAsync(SandboxFixture sandbox)
    {
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, identity["google"]!["email"]!.GetValue<string>());
        var flow = new GoogleAuthorizationCodeFlow(new SandboxFlowInitializer(sandbox.BaseUri)
        {
            ClientSecrets = new ClientSecrets { ClientId = FlowHelpers.GoogleClientId, ClientSecret = FlowHelpers.GoogleSecret },
            Scopes = [FlowHelpers.UploadScope],
        });
        var accessToken = tokens["access_token"]!.GetValue<string>();
        var credential = new UserCredential(flow, "user", new TokenResponse
        {
            AccessToken = accessToken,
            RefreshToken = tokens["refresh_token"]!.GetValue<string>(),
            ExpiresInSeconds = 3599,
            IssuedUtc = DateTime.UtcNow,
        });
        var service = new SandboxYouTubeService(new Initializer
        {
            HttpClientInitializer = credential,
            BaseUri = new Uri(sandbox.BaseUri, "youtube/").ToString(),
            ApplicationName = "Orbyt.Sandbox.Tests",
        });
        return (service, identity["google"]!["channel"]!["id"]!.GetValue<string>(), accessToken);
    }
}
