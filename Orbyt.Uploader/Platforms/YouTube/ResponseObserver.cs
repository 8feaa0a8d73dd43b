using Google.Apis.Http;

namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>Shows every unsuccessful Google.Apis response to an observer (the platform clock reads its Date header); handles none.</summary>
public sealed class ResponseObserver(Action<HttpResponseMessage> observe) : IConfigurableHttpClientInitializer, IHttpUnsuccessfulResponseHandler
{
    public void Initialize(ConfigurableHttpClient httpClient) => httpClient.MessageHandler.AddUnsuccessfulResponseHandler(this);

    public Task<bool> HandleResponseAsync(HandleUnsuccessfulResponseArgs args)
    {
        observe(args.Response);
        return Task.FromResult(false);
    }
}
