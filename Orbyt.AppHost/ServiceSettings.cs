using Microsoft.Extensions.Configuration;

namespace Orbyt.AppHost;

public static class ServiceSettingsExtensions
{
    /// <summary>
    /// Passes AppHost settings under the given sections (e.g. <c>--Orbyt:Uploader:PollInterval=00:00:01</c>, or the
    /// integration tests' shortened timings) through to a service as <c>Orbyt__Section__Key</c> variables.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSettings(this IResourceBuilder<ProjectResource> project, IConfiguration configuration, params string[] sections) =>
        project.WithEnvironment(context =>
        {
            foreach (var section in sections)
            {
                foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
                {
                    if (value is not null)
                        context.EnvironmentVariables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
                }
            }
        });
}
