using Google.Apis.Http;

namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>Adds the connection's access token to every request Google.Apis makes.</summary>
public sealed class BearerToken(string accessToken) : IConfigurableHttpClientInitializer, IHttpExecuteInterceptor
{
    public void Initialize(ConfigurableHttpClient httpClient) => httpClient.MessageHandler.AddExecuteInterceptor(this);

    public Task InterceptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return Task.CompletedTask;
    }

    public override string ToString() => "BearerToken(***)";
}
