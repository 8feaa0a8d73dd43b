using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Orbyt.Api.Database;

/// <summary>
/// EF Core's retries for the API: a transient failure (a pooled connection the server closed, a failover) is retried
/// at most three times within about a second — a caller waits for its answer, and retries with its Idempotency-Key
/// itself — and not at all once the <see cref="DatabaseCircuit"/> is open, so an outage answers 503 at once instead of
/// after the default six retries of up to 30 s each.
/// </summary>
public sealed class DatabaseCircuitRetryStrategy(ExecutionStrategyDependencies dependencies, DatabaseCircuit circuit)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: null)
{
    protected override bool ShouldRetryOn(Exception? exception) => !circuit.IsOpen && base.ShouldRetryOn(exception);
}
