using System.Xml.Linq;
using Microsoft.Data.Sqlite;
using OpenList.DriverHost.State;
using OpenList.DriverHost.WebDav.Properties;

namespace OpenList.DriverHost.DriverHost.Tests.StateTests;

public sealed class SqliteStateStoreTests : IAsyncLifetime
{
    private static readonly XNamespace Ns = "urn:example:props";
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "driverhost-state-" + Guid.NewGuid().ToString("N"));
    private SqliteStateStore _store = null!;

    private string DbPath => Path.Combine(_dir, "nested", "state.db");

    public Task InitializeAsync()
    {
        _store = SqliteStateStore.Open(DbPath);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Open_creates_the_file_with_a_schema_version_and_wal()
    {
        Assert.True(File.Exists(DbPath));
        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version";
        Assert.Equal((long)SqliteStateStore.SchemaVersion, command.ExecuteScalar());
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task Properties_round_trip_with_namespaces_nesting_lang_and_high_unicode()
    {
        var nested = XElement.Parse("""<p:author xmlns:p="urn:example:props" xml:lang="zh-CN"><p:name>张三 𐀀</p:name><q:x xmlns:q="urn:q" q:attr="1"> spaced </q:x></p:author>""");
        var plain = new XElement("color", "red");
        var high = new XElement(Ns + "emoji", "\U00010000 😀");

        await _store.PatchAsync("/a", [Set(nested), Set(plain), Set(high)], Ct);

        var props = (await _store.GetAsync("/a", Ct)).ToDictionary(p => p.Name, p => p.Element);
        Assert.Equal(3, props.Count);
        Assert.True(XNode.DeepEquals(nested, props[Ns + "author"]));
        Assert.Equal("zh-CN", (string?)props[Ns + "author"].Attribute(XNamespace.Xml + "lang"));
        Assert.Equal(" spaced ", props[Ns + "author"].Element(XName.Get("x", "urn:q"))!.Value);
        Assert.True(XNode.DeepEquals(plain, props[XName.Get("color", "")]));
        Assert.Equal("\U00010000 😀", props[Ns + "emoji"].Value);
    }

    [Fact]
    public async Task Patch_applies_sets_and_removals_in_order()
    {
        await _store.PatchAsync("/f", [Set(new XElement(Ns + "a", "1")), Set(new XElement(Ns + "b", "1"))], Ct);

        await _store.PatchAsync("/f", [Remove(Ns + "a"), Set(new XElement(Ns + "b", "2")), Set(new XElement(Ns + "c", "3")), Remove(Ns + "c")], Ct);

        var prop = Assert.Single(await _store.GetAsync("/f", Ct));
        Assert.Equal((Ns + "b", "2"), (prop.Name, prop.Element.Value));
        Assert.Empty(await _store.GetAsync("/missing", Ct));
    }

    [Fact]
    public async Task Paths_are_case_sensitive_and_a_trailing_slash_is_ignored()
    {
        await _store.PatchAsync("/Dir/", [Set(new XElement(Ns + "a", "1"))], Ct);

        Assert.Single(await _store.GetAsync("/Dir", Ct));
        Assert.Empty(await _store.GetAsync("/dir", Ct));
    }

    [Fact]
    public async Task Copy_move_and_delete_work_on_subtrees_with_wildcard_and_chinese_names()
    {
        string[] tree = ["/50%_off", "/50%_off/a_b", "/50%_off/中文/文件.txt", "/50%_offx", "/50X_off/y", "/50%_of"];
        foreach (var path in tree)
        {
            await _store.PatchAsync(path, [Set(new XElement(Ns + "p", path))], Ct);
        }

        await _store.CopyAsync("/50%_off", "/副本", recursive: true, Ct);
        Assert.Equal(["/50%_off", "/50%_off/a_b", "/50%_off/中文/文件.txt"], await Values("/副本", "/副本/a_b", "/副本/中文/文件.txt"));
        Assert.Empty(await _store.GetAsync("/副本x", Ct));

        await _store.CopyAsync("/50%_off", "/shallow", recursive: false, Ct);
        Assert.Single(await _store.GetAsync("/shallow", Ct));
        Assert.Empty(await _store.GetAsync("/shallow/a_b", Ct));

        await _store.MoveAsync("/副本", "/moved/here", Ct);
        Assert.Equal(["/50%_off", "/50%_off/a_b", "/50%_off/中文/文件.txt"], await Values("/moved/here", "/moved/here/a_b", "/moved/here/中文/文件.txt"));
        Assert.Empty(await _store.GetAsync("/副本/a_b", Ct));

        await _store.DeleteAsync("/50%_off", Ct);
        Assert.Empty(await _store.GetAsync("/50%_off/中文/文件.txt", Ct));
        Assert.Empty(await _store.GetAsync("/50%_off", Ct));

        // Siblings sharing a prefix, and LIKE-wildcard look-alikes, are untouched.
        Assert.Equal(["/50%_offx", "/50X_off/y", "/50%_of"], await Values("/50%_offx", "/50X_off/y", "/50%_of"));
    }

    [Fact]
    public async Task Members_are_read_in_one_call_without_the_collection_deeper_rows_or_look_alikes()
    {
        string[] paths = ["/c", "/c/a", "/c/b_%", "/c/b_%", "/c/sub/deep", "/cx/a", "/c/中文"];
        foreach (var path in paths)
        {
            await _store.PatchAsync(path, [Set(new XElement(Ns + "p", path)), Set(new XElement(Ns + "q", "2"))], Ct);
        }

        var members = await _store.GetMembersAsync("/c/", Ct);
        Assert.Equal(["/c/a", "/c/b_%", "/c/中文"], members.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(2, members["/c/a"].Count);
        Assert.Equal("/c/中文", members["/c/中文"].Single(p => p.Name == Ns + "p").Element.Value);

        var top = await _store.GetMembersAsync("/", Ct);
        Assert.Equal(["/c"], top.Keys.ToArray()); // "/cx" itself has no properties; "/cx/a" is not a member of "/"
    }

    [Fact]
    public async Task Copy_replaces_the_properties_of_each_target_path()
    {
        await _store.PatchAsync("/src", [Set(new XElement(Ns + "a", "src"))], Ct);
        await _store.PatchAsync("/dst", [Set(new XElement(Ns + "stale", "old"))], Ct);

        await _store.CopyAsync("/src", "/dst", recursive: true, Ct);

        var prop = Assert.Single(await _store.GetAsync("/dst", Ct));
        Assert.Equal(Ns + "a", prop.Name);
        Assert.Single(await _store.GetAsync("/src", Ct));
    }

    [Fact]
    public async Task Move_into_its_own_subtree_and_onto_itself_keep_the_data()
    {
        await _store.PatchAsync("/a", [Set(new XElement(Ns + "p", "a"))], Ct);
        await _store.PatchAsync("/a/x", [Set(new XElement(Ns + "p", "ax"))], Ct);

        await _store.MoveAsync("/a", "/a", Ct);
        Assert.Equal(["a", "ax"], await Values("/a", "/a/x"));

        await _store.MoveAsync("/a", "/a/b", Ct);
        Assert.Equal(["a", "ax"], await Values("/a/b", "/a/b/x"));
        Assert.Empty(await _store.GetAsync("/a", Ct));
    }

    [Fact]
    public async Task Root_subtree_operations_cover_everything()
    {
        await _store.PatchAsync("/", [Set(new XElement(Ns + "p", "root"))], Ct);
        await _store.PatchAsync("/a", [Set(new XElement(Ns + "p", "a"))], Ct);

        await _store.CopyAsync("/", "/backup", recursive: true, Ct);
        Assert.Equal(["root", "a"], await Values("/backup", "/backup/a"));

        await _store.DeleteAsync("/", Ct);
        Assert.Empty(await _store.GetAsync("/backup/a", Ct));
    }

    [Fact]
    public async Task Data_survives_closing_and_reopening_the_file()
    {
        await _store.PatchAsync("/keep/文件", [Set(new XElement(Ns + "p", "kept"))], Ct);
        var secret = await _store.GetOrCreateSecretAsync("sign_key", () => "generated-1", Ct);
        await _store.DisposeAsync();

        _store = SqliteStateStore.Open(DbPath);

        Assert.Equal(["kept"], await Values("/keep/文件"));
        Assert.Equal("generated-1", secret);
        Assert.Equal("generated-1", await _store.GetOrCreateSecretAsync("sign_key", () => throw new InvalidOperationException("must not be called"), Ct));
    }

    [Fact]
    public async Task Concurrent_patches_and_secret_creation_do_not_corrupt()
    {
        var calls = 0;
        var patches = Enumerable.Range(0, 40).Select(i => Task.Run(() => _store.PatchAsync("/busy", [Set(new XElement(Ns + $"p{i}", i))], Ct)));
        var secrets = Enumerable.Range(0, 8).Select(_ => Task.Run(() => _store.GetOrCreateSecretAsync("k", () => $"v{Interlocked.Increment(ref calls)}", Ct)));

        await Task.WhenAll(patches);
        var values = await Task.WhenAll(secrets);

        Assert.Equal(40, (await _store.GetAsync("/busy", Ct)).Count);
        Assert.Equal(1, calls);
        Assert.Single(values.Distinct());
    }

    [Fact]
    public async Task A_newer_schema_is_refused()
    {
        await _store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_version SET version = 99";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<StateStoreException>(() => SqliteStateStore.Open(DbPath));
        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
        _store = SqliteStateStore.Open(Path.Combine(_dir, "other.db"));
    }

    [Fact]
    public async Task Disposed_store_refuses_work()
    {
        await _store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _store.GetAsync("/", Ct));
        _store = SqliteStateStore.Open(DbPath);
    }

    private async Task<List<string>> Values(params string[] paths)
    {
        var values = new List<string>();
        foreach (var path in paths)
        {
            values.Add(Assert.Single(await _store.GetAsync(path, Ct)).Element.Value);
        }

        return values;
    }

    private static DeadPropertyChange Set(XElement element) => new(element.Name, element);

    private static DeadPropertyChange Remove(XName name) => new(name, null);
}
