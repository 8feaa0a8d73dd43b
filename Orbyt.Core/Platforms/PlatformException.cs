using System.Net;

namespace Orbyt.Core.Platforms;

/// <summary>A platform answered with an error envelope; the raw parts are kept for job errors and the catalog mapping.</summary>
public abstract class PlatformException(string platform, HttpStatusCode status, string message) : Exception(message)
{
    public string Platform { get; } = platform;
    public HttpStatusCode Status { get; } = status;
    /// <summary>A transient failure (5xx, network, Meta is_transient): retrying may succeed.</summary>
    public abstract bool IsTransient { get; }
}
