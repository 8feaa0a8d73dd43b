using Google.Apis.Services;

namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>
/// A client service for youtube.googleapis.com (or the sandbox's /youtube/) without the generated
/// Google.Apis.YouTube.v3 package, which the package registry here does not serve.
/// </summary>
public sealed class YouTubeService(BaseClientService.Initializer initializer) : BaseClientService(initializer)
{
    public override string Name => "youtube";
    public override string BaseUri => BaseUriOverride ?? "https://youtube.googleapis.com/";
    public override string BasePath => "";
    public override IList<string> Features => [];
}
