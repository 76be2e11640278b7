using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Auth;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Mounts;

namespace OpenList.DriverHost.Hosting;

/// <summary>Where the served configuration comes from: the file to watch and how to load it again.</summary>
/// <param name="Path">drivers.json, absolute.</param>
/// <param name="Load">Loads and validates it as at startup (with the command line's overrides).</param>
public sealed record ConfigReloadSource(string Path, Func<ConfigLoadResult> Load);

/// <summary>
/// Hot reload of drivers.json: a change is noticed by a <see cref="FileSystemWatcher"/>, settles for
/// <see cref="Debounce"/>, and is re-read. A valid file adds, removes or re-initialises only the storages whose
/// record changed (every other mount keeps its <see cref="Mount"/>, its caches and its in-flight requests), replaces
/// the users, and logs that server-section changes need a restart. A broken file is logged with every error and the
/// last good configuration stays. Replaced drivers are disposed after <see cref="DisposeGrace"/>.
/// </summary>
public sealed partial class ConfigReloader : IAsyncDisposable
{
    private readonly ConfigReloadSource _source;
    private readonly MountTableHolder _mounts;
    private readonly MountLoader _loader;
    private readonly UserDirectory _users;
    private readonly ILogger<ConfigReloader> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<Mount, Task> _retiring = new();
    private readonly CancellationTokenSource _stopping = new();
    private DriverHostConfig _config;
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;
    private int _disposed;

    public ConfigReloader(ConfigReloadSource source, DriverHostConfig config, MountTableHolder mounts, MountLoader loader, UserDirectory users, ILoggerFactory loggerFactory)
    {
        _source = source;
        _config = config;
        _mounts = mounts;
        _loader = loader;
        _users = users;
        _logger = loggerFactory.CreateLogger<ConfigReloader>();
    }

    /// <summary>How long the file must stay quiet before it is read (editors write in several steps).</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a removed or replaced driver lives on for requests that already hold it.</summary>
    public TimeSpan DisposeGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The configuration in effect.</summary>
    public DriverHostConfig Config => Volatile.Read(ref _config);

    /// <summary>Raised after each reload attempt with whether it was applied (for tests).</summary>
    public event Action<bool>? Reloaded;

    /// <summary>Starts watching the file.</summary>
    public void Start()
    {
        var directory = Path.GetDirectoryName(_source.Path)!;
        _debounce = new Timer(_ => _ = ReloadFromTimerAsync(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(directory, Path.GetFileName(_source.Path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Schedule();
        _watcher.Created += (_, _) => Schedule();
        _watcher.Renamed += (_, _) => Schedule();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Re-reads the file now; true when the new configuration was applied.</summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var applied = await ApplyAsync(cancellationToken).ConfigureAwait(false);
            Reloaded?.Invoke(applied);
            return applied;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _watcher?.Dispose();
        if (_debounce is not null)
        {
            await _debounce.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_retiring.Values).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Schedule()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _debounce?.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task ReloadFromTimerAsync()
    {
        try
        {
            await ReloadAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
#pragma warning disable CA1031 // a reload must never take the process down; the error is logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogReloadCrashed(_logger, ex);
        }
    }

    private async Task<bool> ApplyAsync(CancellationToken cancellationToken)
    {
        ConfigLoadResult loaded;
        try
        {
            loaded = _source.Load();
        }
        catch (IOException ex)
        {
            LogRejected(_logger, _source.Path, ex.Message);
            return false;
        }

        if (loaded.Config is not { } next)
        {
            LogRejected(_logger, _source.Path, loaded.FormatErrors());
            return false;
        }

        var previous = Config;
        var oldRecords = previous.Storages.Where(s => !s.Disabled).ToDictionary(s => s.MountPath, StringComparer.Ordinal);
        var table = _mounts.Current;
        var kept = new List<Mount>();
        var created = new List<Task<Mount>>();
        foreach (var record in next.Storages.Where(s => !s.Disabled))
        {
            if (oldRecords.TryGetValue(record.MountPath, out var old) && old.Equals(record) && table.MountAt(record.MountPath) is { } mount)
            {
                kept.Add(mount);
            }
            else
            {
                created.Add(_loader.CreateAsync(record, next, cancellationToken));
            }
        }

        var fresh = await Task.WhenAll(created).ConfigureAwait(false);
        foreach (var mount in fresh)
        {
            // A re-initialised storage must not see listings its previous driver cached.
            mount.Listings.DropTree(StoragePath.Root);
        }

        var replaced = _mounts.Swap(new MountTable(kept.Concat(fresh)));
        var retired = replaced.Mounts.Where(m => !kept.Contains(m)).ToList();
        foreach (var mount in retired)
        {
            _retiring[mount] = RetireAsync(mount);
        }

        if (!previous.Users.SequenceEqual(next.Users))
        {
            _users.Replace(next.Users);
            LogUsersReloaded(_logger, next.Users.Count);
        }

        if (!previous.Server.Equals(next.Server))
        {
            LogServerNeedsRestart(_logger);
        }

        if (!previous.Relay.Equals(next.Relay))
        {
            LogRelayNeedsRestart(_logger);
        }

        Volatile.Write(ref _config, next with { Server = previous.Server, Relay = previous.Relay });
        LogReloaded(_logger, fresh.Length, retired.Count, kept.Count);
        return true;
    }

    private async Task RetireAsync(Mount mount)
    {
        try
        {
            await Task.Delay(DisposeGrace, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await mount.Driver.DisposeAsync().ConfigureAwait(false);
        _retiring.TryRemove(mount, out _);
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "configuration reloaded: {Created} storage(s) (re)started, {Removed} removed or replaced, {Kept} unchanged")]
    private static partial void LogReloaded(ILogger logger, int created, int removed, int kept);

    [LoggerMessage(EventId = 61, Level = LogLevel.Error, Message = "configuration change in {Path} rejected; the last good configuration stays in effect:\n{Errors}")]
    private static partial void LogRejected(ILogger logger, string path, string errors);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "the server section changed; restart the host to apply it")]
    private static partial void LogServerNeedsRestart(ILogger logger);

    [LoggerMessage(EventId = 65, Level = LogLevel.Warning, Message = "the relay section changed; restart the host to apply it")]
    private static partial void LogRelayNeedsRestart(ILogger logger);

    [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "users reloaded ({Count})")]
    private static partial void LogUsersReloaded(ILogger logger, int count);

    [LoggerMessage(EventId = 64, Level = LogLevel.Error, Message = "configuration reload failed")]
    private static partial void LogReloadCrashed(ILogger logger, Exception exception);
}
