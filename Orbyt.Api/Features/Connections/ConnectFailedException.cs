using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Connections;

/// <summary>A failure that ends at the caller's return_url with its error code.</summary>
public sealed class ConnectFailedException(ErrorDefinition error, string detail) : Exception(detail)
{
    public ErrorDefinition Error { get; } = error;
}
