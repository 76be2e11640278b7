using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.DriverHost.Tests.Functional;

/// <summary>
/// The real host on Kestrel at 127.0.0.1:0 over a temporary Local mount at <c>/local</c>, with a read/write user,
/// a read-only user and a user confined to a base path.
/// </summary>
public sealed class HostFixture : IAsyncDisposable
{
    public const string Password = "pässwörd-1";
    private static readonly string Hash = Auth.PasswordHasher.Hash(Password, 1000);

    private readonly WebApplication _app;

    private HostFixture(WebApplication app, string root, string data, Uri baseAddress)
    {
        _app = app;
        Root = root;
        Data = data;
        BaseAddress = baseAddress;
    }

    /// <summary>The temporary folder holding everything (config, state.db, data).</summary>
    public string Root { get; }

    /// <summary>The Local mount's folder.</summary>
    public string Data { get; }

    public Uri BaseAddress { get; }

    /// <summary>The running host's services (the download signer, the mount table).</summary>
    public IServiceProvider Services => _app.Services;

    /// <param name="localStorageExtra">More keys of the <c>/local</c> storage record (<c>"ignore_system_files": true</c>).</param>
    /// <param name="drivers">The driver registry (default: the host's own), for tests that mount a test driver.</param>
    public static async Task<HostFixture> StartAsync(bool withUsers = true, string? extraStorages = null, bool propfindInfinity = false, string? root = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null, IReadOnlyDictionary<string, OpenList.DriverHost.Drivers.IDriverFactory>? drivers = null, string localStorageExtra = "")
    {
        root ??= Directory.CreateTempSubdirectory("dh-func-").FullName;
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        var users = withUsers
            ? $$"""
              [ { "username": "alice", "password_hash": "{{Hash}}", "permissions": ["read", "write"] },
                { "username": "reader", "password_hash": "{{Hash}}", "permissions": ["read"] },
                { "username": "jailed", "password_hash": "{{Hash}}", "permissions": ["read", "write"], "base_path": "/local/jail" } ]
              """
            : "[]";
        var json = $$"""
            {
              "server": { "listen": "http://127.0.0.1:0", "dav_prefix": "/dav", "state": "sqlite:state.db", "propfind_infinity": {{(propfindInfinity ? "true" : "false")}} },
              "users": {{users}},
              "storages": [
                { "mount_path": "/local", "driver": "Local", {{(localStorageExtra.Length > 0 ? localStorageExtra + "," : "")}} "addition": { "root_folder_path": {{JsonSerializer.Serialize(data)}} } }
                {{extraStorages}}
              ]
            }
            """;
        return await StartFromConfigAsync(root, json, loggerFactory, drivers);
    }

    /// <summary>Starts a host on <paramref name="root"/> with <paramref name="json"/> as its drivers.json (for restarts).</summary>
    /// <param name="watchConfig">Reload drivers.json when it changes, as <c>serve</c> does.</param>
    public static async Task<HostFixture> StartFromConfigAsync(string root, string json, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null, IReadOnlyDictionary<string, OpenList.DriverHost.Drivers.IDriverFactory>? drivers = null, bool watchConfig = false)
    {
        var data = Path.Combine(root, "data");
        var configPath = Path.Combine(root, "drivers.json");
        await File.WriteAllTextAsync(configPath, json);
        drivers ??= DriverRegistry.Default;
        var loaded = new ConfigLoader(drivers).Load(configPath);
        Assert.True(loaded.Succeeded, loaded.FormatErrors());
        var configLoader = new ConfigLoader(drivers);
        var reload = watchConfig ? new ConfigReloadSource(configPath, () => configLoader.Load(configPath)) : null;
        var app = await DriverHostApp.BuildAsync(loaded.Config!, loggerFactory ?? NullLoggerFactory.Instance, drivers, reload: reload);
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        return new HostFixture(app, root, data, address);
    }

    /// <summary>A client authenticated as <paramref name="user"/> (null: no credentials).</summary>
    public HttpClient Client(string? user = "alice", string password = Password)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        }

        return client;
    }

    /// <summary>Stops the server (graceful: in-flight requests get <c>server.shutdown_timeout</c>) without disposing it.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <summary>Stops the server and keeps its files, so a new host can start on the same folder.</summary>
    public async Task DisposeAsync_KeepFiles()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeAsync_KeepFiles();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
