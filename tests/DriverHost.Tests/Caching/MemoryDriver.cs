using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.DriverHost.Tests.Caching;

/// <summary>
/// An in-memory storage that counts what the host asks of it, can hold listings until a test releases them, and
/// can fail listings on demand. Tests also change it directly, the way another client would change a cloud drive
/// behind the host's back. No server-side copy or move: see <see cref="ServerSideMemoryDriver"/>.
/// </summary>
internal class MemoryDriver : IStorageDriver
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Node> _nodes = new(StringComparer.Ordinal) { ["/"] = new Node(true, [], Epoch) };
    private readonly ConcurrentDictionary<string, int> _lists = new(StringComparer.Ordinal);
    private int _stats;

    protected static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DriverCapabilities Capabilities { get; init; } = new();

    /// <summary>StatAsync calls so far.</summary>
    public int StatCalls => Volatile.Read(ref _stats);

    /// <summary>ListAsync calls for every directory so far.</summary>
    public int TotalListCalls => _lists.Values.Sum();

    /// <summary>When set, every listing waits for it (or for its token) before reading anything.</summary>
    public TaskCompletionSource? ListGate { get; set; }

    /// <summary>Completed when a listing has started (before it waits for <see cref="ListGate"/>).</summary>
    public TaskCompletionSource ListStarted { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, listings throw it after passing the gate.</summary>
    public Exception? ListFailure { get; set; }

    /// <summary>When set, uploads store the file and then throw it, as an upload that failed after the provider kept it.</summary>
    public Exception? PutFailure { get; set; }

    /// <summary>When set, uploads ignore the client's modification time and keep their own, as every cloud drive does.</summary>
    public bool IgnoresClientModTime { get; set; }

    /// <summary>The token the last listing was given.</summary>
    public CancellationToken LastListToken { get; private set; }

    /// <summary>ListAsync calls for <paramref name="path"/> so far.</summary>
    public int ListCalls(string path) => _lists.GetValueOrDefault(path);

    public void ResetListStarted() => ListStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a file (and its missing parents) directly, as another client would.</summary>
    public void AddFile(string path, string content = "x")
    {
        lock (_gate)
        {
            var p = StoragePath.Parse(path);
            AddParents(p);
            _nodes[p.Value] = new Node(false, System.Text.Encoding.UTF8.GetBytes(content), Epoch);
        }
    }

    /// <summary>Creates a directory (and its missing parents) directly, as another client would.</summary>
    public void AddDirectory(string path)
    {
        lock (_gate)
        {
            var p = StoragePath.Parse(path);
            AddParents(p);
            _nodes.TryAdd(p.Value, new Node(true, [], Epoch));
        }
    }

    /// <summary>Names of the children of <paramref name="path"/> as stored now.</summary>
    public IReadOnlyList<string> Names(string path)
    {
        lock (_gate)
        {
            return ChildrenLocked(StoragePath.Parse(path)).Select(c => c.Name).ToList();
        }
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<StorageEntry> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _stats);
        lock (_gate)
        {
            return Task.FromResult(EntryLocked(path) ?? throw StorageException.NotFound(path));
        }
    }

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _lists.AddOrUpdate(path.Value, 1, (_, n) => n + 1);
        LastListToken = cancellationToken;
        ListStarted.TrySetResult();
        if (ListGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (ListFailure is { } failure)
        {
            throw failure;
        }

        List<StorageEntry> children;
        lock (_gate)
        {
            var node = _nodes.GetValueOrDefault(path.Value) ?? throw StorageException.NotFound(path);
            if (!node.IsDirectory)
            {
                throw new StorageException(StorageErrorKind.IsFile, $"a file: {path}");
            }

            children = ChildrenLocked(path);
        }

        foreach (var child in children)
        {
            await Task.Yield(); // one "page" at a time, as a cloud would
            yield return child;
        }
    }

    public Task<StorageReadStream> OpenReadAsync(StoragePath path, ByteRange? range, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var node = _nodes.GetValueOrDefault(path.Value) ?? throw StorageException.NotFound(path);
            if (node.IsDirectory)
            {
                throw new StorageException(StorageErrorKind.IsDirectory, $"a directory: {path}");
            }

            var bytes = range is { } r ? node.Content[(int)r.From..(int)(r.To + 1)] : node.Content;
            return Task.FromResult(new StorageReadStream(new MemoryStream(bytes), range, node.Content.Length));
        }
    }

    public async Task<StorageEntry> PutAsync(StoragePath path, Stream content, long? length, PutOptions options, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        lock (_gate)
        {
            RequireParentLocked(path);
            if (_nodes.GetValueOrDefault(path.Value) is { IsDirectory: true })
            {
                throw new StorageException(StorageErrorKind.IsDirectory, $"a directory: {path}");
            }

            _nodes[path.Value] = new Node(false, buffer.ToArray(), IgnoresClientModTime ? Epoch.AddHours(1) : options.LastModified ?? Epoch.AddHours(1));
            return PutFailure is { } failure ? throw failure : EntryLocked(path)!;
        }
    }

    public Task<StorageEntry> CreateDirectoryAsync(StoragePath path, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_nodes.GetValueOrDefault(path.Value) is { } existing)
            {
                return existing.IsDirectory ? Task.FromResult(EntryLocked(path)!) : throw StorageException.AlreadyExists(path);
            }

            RequireParentLocked(path);
            _nodes[path.Value] = new Node(true, [], Epoch.AddHours(2));
            return Task.FromResult(EntryLocked(path)!);
        }
    }

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (path.IsRoot)
            {
                throw new StorageException(StorageErrorKind.PermissionDenied, "the root cannot be deleted");
            }

            if (!_nodes.ContainsKey(path.Value))
            {
                throw StorageException.NotFound(path);
            }

            foreach (var key in _nodes.Keys.Where(k => StoragePath.Parse(k).IsSameOrUnder(path)).ToList())
            {
                _nodes.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Copies (or moves) a subtree under the lock; for the server-side subclass.</summary>
    protected StorageEntry Transfer(StoragePath source, StoragePath destination, bool move)
    {
        lock (_gate)
        {
            if (!_nodes.ContainsKey(source.Value))
            {
                throw StorageException.NotFound(source);
            }

            if (_nodes.ContainsKey(destination.Value))
            {
                throw StorageException.AlreadyExists(destination);
            }

            RequireParentLocked(destination);
            foreach (var (key, node) in _nodes.Where(n => StoragePath.Parse(n.Key).IsSameOrUnder(source)).ToList())
            {
                var rest = key[source.Value.Length..];
                _nodes[destination.Value + rest] = node;
                if (move)
                {
                    _nodes.Remove(key);
                }
            }

            return EntryLocked(destination)!;
        }
    }

    private void AddParents(StoragePath path)
    {
        for (var parent = path.Parent; !parent.IsRoot; parent = parent.Parent)
        {
            _nodes.TryAdd(parent.Value, new Node(true, [], Epoch));
        }
    }

    private void RequireParentLocked(StoragePath path)
    {
        if (_nodes.GetValueOrDefault(path.Parent.Value) is not { IsDirectory: true })
        {
            throw StorageException.NotFound(path.Parent);
        }
    }

    private StorageEntry? EntryLocked(StoragePath path) =>
        _nodes.GetValueOrDefault(path.Value) is { } node ? new StorageEntry(path, node.IsDirectory, node.Content.Length, node.Modified) : null;

    private List<StorageEntry> ChildrenLocked(StoragePath path) =>
        _nodes.Keys
            .Where(k => k != "/" && StoragePath.Parse(k).Parent == path)
            .Select(k => EntryLocked(StoragePath.Parse(k))!)
            .ToList();

    private sealed record Node(bool IsDirectory, byte[] Content, DateTimeOffset Modified);
}

/// <summary>A <see cref="MemoryDriver"/> with server-side copy and move.</summary>
internal sealed class ServerSideMemoryDriver : MemoryDriver, IServerSideCopy, IServerSideMove
{
    public Task<StorageEntry> CopyAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) =>
        Task.FromResult(Transfer(source, destination, move: false));

    public Task<StorageEntry> MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) =>
        Task.FromResult(Transfer(source, destination, move: true));
}
