using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Orbyt.Api.Database;

/// <summary>
/// Opens the <see cref="DatabaseCircuit"/> when a connection cannot be established (refused, timed out, reset), and
/// refuses to try while it is open. Only connection attempts count: a statement failing on a connection that works
/// says nothing about the database being away.
/// </summary>
public sealed class DatabaseCircuitInterceptor(DatabaseCircuit circuit) : DbConnectionInterceptor
{
    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        circuit.ThrowIfOpen();
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        circuit.ThrowIfOpen();
        return ValueTask.FromResult(result);
    }

    public override void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Observe(eventData.Exception);

    public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Observe(eventData.Exception);
        return Task.CompletedTask;
    }

    private void Observe(Exception exception)
    {
        // A full pool also times out here; the probe's own fresh connection then succeeds and closes the circuit at once.
        if (exception is NpgsqlException { IsTransient: true } or TimeoutException)
            circuit.Open(exception);
    }
}
