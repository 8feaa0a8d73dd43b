namespace Orbyt.Api.Database;

/// <summary>PostgreSQL is known to be away (<see cref="DatabaseCircuit"/>): the request was not tried against it.</summary>
public sealed class DatabaseUnavailableException(Exception cause)
    : Exception("PostgreSQL is unreachable; requests that need it fail fast until a probe reaches it again.", cause);
