using OpenList.DriverHost.State;

namespace OpenList.DriverHost.DriverHost.Tests.StateTests;

public sealed class StateStoreFactoryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "driverhost-factory-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Sqlite_relative_path_resolves_against_the_config_folder()
    {
        var store = StateStoreFactory.Open("sqlite:data/state.db", _dir);
        await store.DisposeAsync();

        Assert.Equal(Path.Combine(_dir, "data", "state.db"), Assert.IsType<SqliteStateStore>(store).DatabasePath);
        Assert.True(File.Exists(Path.Combine(_dir, "data", "state.db")));
    }

    [Fact]
    public void Postgres_is_not_available_yet()
    {
        var ex = Assert.Throws<NotSupportedException>(() => StateStoreFactory.Open("postgres://u:secret-pw@db/x", _dir));

        Assert.Equal("PostgreSQL state store is not available yet; use sqlite:<path>", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("state.db")]
    [InlineData("mysql://db/x")]
    public void Anything_else_is_an_argument_error(string state) =>
        Assert.Throws<ArgumentException>(() => StateStoreFactory.Open(state, _dir));
}
