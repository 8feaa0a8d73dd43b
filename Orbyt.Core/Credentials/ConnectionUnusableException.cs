using Orbyt.Core.Errors;

namespace Orbyt.Core.Credentials;

/// <summary>The connection cannot publish until something changes; <see cref="Error"/> says what.</summary>
public sealed class ConnectionUnusableException(ErrorDefinition error, string detail) : Exception(detail)
{
    public ErrorDefinition Error { get; } = error;
}
