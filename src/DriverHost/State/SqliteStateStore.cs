using System.Xml.Linq;
using Microsoft.Data.Sqlite;
using OpenList.DriverHost.WebDav.Properties;

namespace OpenList.DriverHost.State;

/// <summary>
/// <see cref="IStateStore"/> in one SQLite file (WAL journal). The schema is created on open and versioned in
/// <c>schema_version</c>. Every write runs in one committed <c>BEGIN IMMEDIATE</c> transaction, serialised within the
/// process. Dead properties are keyed by (path, namespace, local name); paths are compared case-sensitively, and
/// subtree operations use a byte-range on the primary key (<c>path &gt;= 'p/' AND path &lt; 'p0'</c>), so
/// <c>%</c>, <c>_</c> and non-ASCII names need no escaping.
/// </summary>
public sealed partial class SqliteStateStore : IStateStore
{
    /// <summary>The schema this build writes. Opening a newer file fails rather than corrupting it.</summary>
    public const int SchemaVersion = 2;

    private static readonly string[] Migrations =
    [
        // 1: dead properties and secrets.
        """
        CREATE TABLE dead_properties (
            path TEXT NOT NULL,
            namespace TEXT NOT NULL,
            local_name TEXT NOT NULL,
            xml TEXT NOT NULL,
            PRIMARY KEY (path, namespace, local_name)) WITHOUT ROWID;
        CREATE TABLE secrets (
            name TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL) WITHOUT ROWID;
        """,

        // 2: tokens per mount (rotated refresh tokens live here, never in drivers.json).
        """
        CREATE TABLE mount_tokens (
            mount_path TEXT NOT NULL PRIMARY KEY,
            access_token TEXT,
            refresh_token TEXT,
            expires_at INTEGER,
            configured_access_token TEXT,
            configured_refresh_token TEXT) WITHOUT ROWID;
        """,
    ];

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile bool _disposed;

    private SqliteStateStore(string databasePath, string connectionString)
    {
        DatabasePath = databasePath;
        _connectionString = connectionString;
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Opens (creating when missing) the database at <paramref name="databasePath"/> and brings its schema up to date.</summary>
    /// <exception cref="StateStoreException">The file cannot be opened or was written by a newer version.</exception>
    public static SqliteStateStore Open(string databasePath)
    {
        var fullPath = Path.GetFullPath(databasePath);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var store = new SqliteStateStore(fullPath, connectionString);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            store.Initialize();
            return store;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            store.ClearPool();
            throw new StateStoreException($"cannot open the state database {fullPath}: {ex.Message}", ex);
        }
        catch
        {
            store.ClearPool();
            throw;
        }
    }

    public Task<IReadOnlyList<DeadProperty>> GetAsync(string path, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path, namespace, local_name, xml FROM dead_properties WHERE path = $path";
        command.Parameters.AddWithValue("$path", Normalize(path));
        var result = new List<DeadProperty>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(ReadProperty(reader));
        }

        return Task.FromResult<IReadOnlyList<DeadProperty>>(result);
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyList<DeadProperty>>> GetMembersAsync(string collection, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var (low, high) = SubtreeRange(Normalize(collection));
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();

        // The key range holds the whole subtree; deeper rows are skipped here rather than in SQL, since dead
        // properties are rare and the range scan is on the primary key.
        command.CommandText = "SELECT path, namespace, local_name, xml FROM dead_properties WHERE path >= $low AND path < $high";
        command.Parameters.AddWithValue("$low", low);
        command.Parameters.AddWithValue("$high", high);
        var result = new Dictionary<string, IReadOnlyList<DeadProperty>>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var path = reader.GetString(0);
            if (path.IndexOf('/', low.Length) >= 0)
            {
                continue;
            }

            if (!result.TryGetValue(path, out var list))
            {
                list = new List<DeadProperty>();
                result.Add(path, list);
            }

            ((List<DeadProperty>)list).Add(ReadProperty(reader));
        }

        return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<DeadProperty>>>(result);
    }

    public Task PatchAsync(string path, IReadOnlyList<DeadPropertyChange> changes, CancellationToken cancellationToken)
    {
        path = Normalize(path);
        return WriteAsync(
            (connection, transaction) =>
            {
                foreach (var change in changes)
                {
                    if (change.Element is null)
                    {
                        Execute(connection, transaction, "DELETE FROM dead_properties WHERE path = $path AND namespace = $ns AND local_name = $local", ("$path", path), ("$ns", change.Name.NamespaceName), ("$local", change.Name.LocalName));
                    }
                    else
                    {
                        Insert(connection, transaction, new Row(path, change.Name.NamespaceName, change.Name.LocalName, change.Element.ToString(SaveOptions.DisableFormatting)));
                    }
                }

                return true;
            },
            cancellationToken);
    }

    public Task CopyAsync(string source, string destination, bool recursive, CancellationToken cancellationToken)
    {
        source = Normalize(source);
        destination = Normalize(destination);
        return WriteAsync(
            (connection, transaction) =>
            {
                var rows = SelectTree(connection, transaction, source, recursive);
                ReplaceAt(connection, transaction, rows, source, destination);
                return true;
            },
            cancellationToken);
    }

    public Task MoveAsync(string source, string destination, CancellationToken cancellationToken)
    {
        source = Normalize(source);
        destination = Normalize(destination);
        return WriteAsync(
            (connection, transaction) =>
            {
                var rows = SelectTree(connection, transaction, source, recursive: true);
                DeleteTree(connection, transaction, source);
                ReplaceAt(connection, transaction, rows, source, destination);
                return true;
            },
            cancellationToken);
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        path = Normalize(path);
        return WriteAsync((connection, transaction) => DeleteTree(connection, transaction, path), cancellationToken);
    }

    public Task<string> GetOrCreateSecretAsync(string name, Func<string> create, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return WriteAsync(
            (connection, transaction) =>
            {
                using (var select = connection.CreateCommand())
                {
                    select.Transaction = transaction;
                    select.CommandText = "SELECT value FROM secrets WHERE name = $name";
                    select.Parameters.AddWithValue("$name", name);
                    if (select.ExecuteScalar() is string existing)
                    {
                        return existing;
                    }
                }

                var value = create();
                if (string.IsNullOrEmpty(value))
                {
                    throw new InvalidOperationException($"the generator for secret \"{name}\" returned an empty value");
                }

                Execute(connection, transaction, "INSERT INTO secrets (name, value) VALUES ($name, $value)", ("$name", name), ("$value", value));
                return value;
            },
            cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            ClearPool();
            _writeGate.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private void Initialize()
    {
        using var connection = OpenConnection();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        using var query = connection.CreateCommand();
        query.Transaction = transaction;
        query.CommandText = "SELECT MAX(version) FROM schema_version";
        var version = query.ExecuteScalar() is long v ? (int)v : 0;
        if (version > SchemaVersion)
        {
            throw new StateStoreException(
                $"the state database {DatabasePath} has schema version {version}, newer than this build's {SchemaVersion}; upgrade driverhost or point --state at another file");
        }

        for (var next = version + 1; next <= SchemaVersion; next++)
        {
            Execute(connection, transaction, Migrations[next - 1]);
        }

        if (version != SchemaVersion)
        {
            Execute(connection, transaction, "DELETE FROM schema_version");
            Execute(connection, transaction, "INSERT INTO schema_version (version) VALUES ($v)", ("$v", SchemaVersion));
        }

        transaction.Commit();
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static List<Row> SelectTree(SqliteConnection connection, SqliteTransaction transaction, string root, bool recursive)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (recursive)
        {
            var (low, high) = SubtreeRange(root);
            command.CommandText = "SELECT path, namespace, local_name, xml FROM dead_properties WHERE path = $path OR (path >= $low AND path < $high)";
            command.Parameters.AddWithValue("$low", low);
            command.Parameters.AddWithValue("$high", high);
        }
        else
        {
            command.CommandText = "SELECT path, namespace, local_name, xml FROM dead_properties WHERE path = $path";
        }

        command.Parameters.AddWithValue("$path", root);
        var rows = new List<Row>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }

    private static bool DeleteTree(SqliteConnection connection, SqliteTransaction transaction, string root)
    {
        var (low, high) = SubtreeRange(root);
        Execute(connection, transaction, "DELETE FROM dead_properties WHERE path = $path OR (path >= $low AND path < $high)", ("$path", root), ("$low", low), ("$high", high));
        return true;
    }

    /// <summary>Writes <paramref name="rows"/> under <paramref name="destination"/>, replacing each target path's properties.</summary>
    private static void ReplaceAt(SqliteConnection connection, SqliteTransaction transaction, List<Row> rows, string source, string destination)
    {
        var mapped = rows.Select(r => r with { Path = Rebase(r.Path, source, destination) }).ToList();
        foreach (var path in mapped.Select(r => r.Path).Distinct(StringComparer.Ordinal))
        {
            Execute(connection, transaction, "DELETE FROM dead_properties WHERE path = $path", ("$path", path));
        }

        foreach (var row in mapped)
        {
            Insert(connection, transaction, row);
        }
    }

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, Row row) =>
        Execute(
            connection,
            transaction,
            "INSERT INTO dead_properties (path, namespace, local_name, xml) VALUES ($path, $ns, $local, $xml) " +
            "ON CONFLICT (path, namespace, local_name) DO UPDATE SET xml = excluded.xml",
            ("$path", row.Path),
            ("$ns", row.Namespace),
            ("$local", row.LocalName),
            ("$xml", row.Xml));

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The half-open key range of everything strictly below <paramref name="root"/>: [<c>root/</c>, <c>root0</c>).
    /// SQLite compares TEXT bytewise (UTF-8), and <c>0</c> is the byte after <c>/</c>.
    /// </summary>
    internal static (string Low, string High) SubtreeRange(string root)
    {
        var low = root == "/" ? "/" : root + "/";
        return (low, string.Concat(low.AsSpan(0, low.Length - 1), "0"));
    }

    internal static string Rebase(string path, string source, string destination)
    {
        var suffix = path == source ? "" : source == "/" ? path : path[source.Length..];
        return destination == "/" && suffix.Length > 0 ? suffix : destination + suffix;
    }

    /// <summary>Paths are <c>/a/b</c>; a trailing slash (collections) is dropped so both spellings share properties.</summary>
    private static string Normalize(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return path.Length > 1 && path.EndsWith('/') ? path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/" : path;
    }

    /// <summary>One row of <c>SELECT path, namespace, local_name, xml</c>.</summary>
    private static DeadProperty ReadProperty(SqliteDataReader reader) =>
        new(XName.Get(reader.GetString(2), reader.GetString(1)), XElement.Parse(reader.GetString(3), LoadOptions.PreserveWhitespace));

    private sealed record Row(string Path, string Namespace, string LocalName, string Xml);
}
