using Microsoft.Data.Sqlite;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.State;

/// <summary>Tokens per mount in <c>mount_tokens</c>; times as Unix milliseconds.</summary>
public sealed partial class SqliteStateStore
{
    public Task<StoredTokens?> LoadTokensAsync(string mountPath, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(mountPath);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT access_token, refresh_token, expires_at, configured_access_token, configured_refresh_token
            FROM mount_tokens WHERE mount_path = $mount
            """;
        command.Parameters.AddWithValue("$mount", mountPath);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return Task.FromResult<StoredTokens?>(null);
        }

        return Task.FromResult<StoredTokens?>(new StoredTokens(
            Text(reader, 0),
            Text(reader, 1),
            reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            Text(reader, 3),
            Text(reader, 4)));
    }

    public Task SaveTokensAsync(string mountPath, StoredTokens tokens, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(mountPath);
        return WriteAsync(
            (connection, transaction) =>
            {
                Execute(
                    connection,
                    transaction,
                    """
                    INSERT INTO mount_tokens (mount_path, access_token, refresh_token, expires_at, configured_access_token, configured_refresh_token)
                    VALUES ($mount, $access, $refresh, $expires, $configured_access, $configured_refresh)
                    ON CONFLICT (mount_path) DO UPDATE SET
                        access_token = excluded.access_token,
                        refresh_token = excluded.refresh_token,
                        expires_at = excluded.expires_at,
                        configured_access_token = excluded.configured_access_token,
                        configured_refresh_token = excluded.configured_refresh_token
                    """,
                    ("$mount", mountPath),
                    ("$access", (object?)tokens.AccessToken ?? DBNull.Value),
                    ("$refresh", (object?)tokens.RefreshToken ?? DBNull.Value),
                    ("$expires", (object?)tokens.ExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value),
                    ("$configured_access", (object?)tokens.ConfiguredAccessToken ?? DBNull.Value),
                    ("$configured_refresh", (object?)tokens.ConfiguredRefreshToken ?? DBNull.Value));
                return true;
            },
            cancellationToken);
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
