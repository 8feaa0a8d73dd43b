using Npgsql;
using NpgsqlTypes;
using Orbyt.Core.Data;
using Orbyt.Core.Vault;

internal static class Seed
{
    /// <summary>Binary COPY: the due Google credentials (refresh tokens the sandbox knows, last refreshed two days ago) and the rest scheduled 1–24 h ahead.</summary>
    public static async Task CredentialsAsync(string connectionString, ITokenVault vault, string[] refreshTokens, int total)
    {
        var now = DateTimeOffset.UtcNow;
        var clientId = Guid.CreateVersion7();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var client = new NpgsqlCommand("INSERT INTO api_clients (id, name, is_admin, allowed_return_urls, created_at) VALUES (@id, 'bench', false, '{}', now())", connection))
        {
            client.Parameters.AddWithValue("id", clientId);
            await client.ExecuteNonQueryAsync();
        }

        var staleAccess = vault.Protect("ya29.bench-expired", VaultPurposes.AccessToken);
        var random = new Random(42);
        string[] kinds = [CredentialKinds.Google, CredentialKinds.MetaUser, CredentialKinds.MetaPage];
        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY credentials (id, client_id, user_id, kind, subject, access_token_ciphertext, refresh_token_ciphertext, access_token_expires_at,
                              scopes, last_refreshed_at, last_checked_at, next_check_at, consecutive_failures, created_at, updated_at)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < total; i++)
            {
                var due = i < refreshTokens.Length;
                var kind = due ? CredentialKinds.Google : kinds[i % kinds.Length];
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(clientId, NpgsqlDbType.Uuid);
                await copy.WriteAsync($"user-{i % 40_000}", NpgsqlDbType.Varchar);
                await copy.WriteAsync(kind, NpgsqlDbType.Varchar);
                await copy.WriteAsync($"subject-{i}", NpgsqlDbType.Varchar);
                await copy.WriteAsync(staleAccess, NpgsqlDbType.Bytea);
                if (due) await copy.WriteAsync(vault.Protect(refreshTokens[i], VaultPurposes.RefreshToken), NpgsqlDbType.Bytea);
                else await copy.WriteNullAsync();
                await copy.WriteAsync(due ? now.AddMinutes(-5) : now.AddMinutes(30), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(new[] { "https://www.googleapis.com/auth/youtube.upload" }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(now.AddDays(-2), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now.AddDays(-2), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(due ? now.AddSeconds(-random.Next(1, 600)) : now.AddSeconds(random.Next(3600, 86_400)), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        await using var analyze = new NpgsqlCommand("ANALYZE credentials", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
