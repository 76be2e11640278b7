using Microsoft.Data.Sqlite;
using OpenList.DriverHost.Drivers.Tokens;
using OpenList.DriverHost.State;

namespace OpenList.DriverHost.DriverHost.Tests.StateTests;

public sealed class SqliteTokenStoreTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "driverhost-tokens-" + Guid.NewGuid().ToString("N"));
    private SqliteStateStore _store = null!;

    private string DbPath => Path.Combine(_dir, "state.db");

    public Task InitializeAsync()
    {
        _store = SqliteStateStore.Open(DbPath);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Tokens_round_trip_per_mount_and_survive_reopening()
    {
        var expires = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123);
        await _store.SaveTokensAsync("/aliyun", new StoredTokens("at", "rt", expires, null, "rt-typed"), Ct);
        await _store.SaveTokensAsync("/aliyun2", new StoredTokens(null, "other", null, null, null), Ct);
        await _store.DisposeAsync();

        _store = SqliteStateStore.Open(DbPath);
        Assert.Equal(new StoredTokens("at", "rt", expires, null, "rt-typed"), await _store.LoadTokensAsync("/aliyun", Ct));
        Assert.Equal(new StoredTokens(null, "other", null, null, null), await new MountTokenStore(_store, "/aliyun2").LoadAsync(Ct));
        Assert.Null(await _store.LoadTokensAsync("/none", Ct));
    }

    [Fact]
    public async Task Saving_again_replaces_the_row()
    {
        var mount = new MountTokenStore(_store, "/aliyun");
        await mount.SaveAsync(new StoredTokens("a1", "r1", null, "c", "c"), Ct);
        await mount.SaveAsync(new StoredTokens("a2", "r2", null, "c", "c"), Ct);
        Assert.Equal("r2", (await mount.LoadAsync(Ct))!.RefreshToken);
    }

    [Fact]
    public async Task A_version_1_file_is_migrated_keeping_its_dead_properties()
    {
        var old = Path.Combine(_dir, "v1.db");
        await using (var connection = new SqliteConnection($"Data Source={old};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);
                CREATE TABLE dead_properties (path TEXT NOT NULL, namespace TEXT NOT NULL, local_name TEXT NOT NULL, xml TEXT NOT NULL, PRIMARY KEY (path, namespace, local_name)) WITHOUT ROWID;
                CREATE TABLE secrets (name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                INSERT INTO secrets VALUES ('sign_key', 'kept');
                """;
            command.ExecuteNonQuery();
        }

        await using var migrated = SqliteStateStore.Open(old);
        Assert.Equal("kept", await migrated.GetOrCreateSecretAsync("sign_key", () => "new", Ct));
        await migrated.SaveTokensAsync("/m", new StoredTokens("a", "r", null, null, null), Ct);
        Assert.Equal("r", (await migrated.LoadTokensAsync("/m", Ct))!.RefreshToken);
    }
}
