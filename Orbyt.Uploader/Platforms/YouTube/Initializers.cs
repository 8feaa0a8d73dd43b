using Google.Apis.Http;

namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>Runs several initializers on one client.</summary>
public sealed class Initializers(params IConfigurableHttpClientInitializer[] all) : IConfigurableHttpClientInitializer
{
    public void Initialize(ConfigurableHttpClient httpClient)
    {
        foreach (var initializer in all) initializer.Initialize(httpClient);
    }
}
