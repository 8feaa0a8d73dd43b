using Google.Apis.Services;

namespace Orbyt.Sandbox.Tests;

/// <summary>A minimal YouTube service for Google.Apis' own client, pointed at the sandbox (the generated YouTube package is not served here).</summary>
public sealed class SandboxYouTubeService(BaseClientService.Initializer initializer) : BaseClientService(initializer)
{
    public override string Name => "youtube";
    public override string BaseUri => BaseUriOverride ?? "https://youtube.googleapis.com/";
    public override string BasePath => "";
    public override IList<string> Features => [];
}
