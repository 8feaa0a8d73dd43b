using Orbyt.Core.Credentials;
using Orbyt.Core.Hosting;

namespace Orbyt.TokenRefresher;

public static class Extensions
{
    public static WebApplicationBuilder AddTokenRefresher(this WebApplicationBuilder builder)
    {
        builder.AddBasicServiceDefaults();
        builder.AddOrbytWorkerCore();
        builder.Services.AddTokenRefreshScheduler();
        builder.Services.AddHostedService<RefreshWorker>();
        return builder;
    }
}
