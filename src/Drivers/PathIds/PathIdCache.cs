using System.Collections.Concurrent;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.PathIds;

/// <summary>
/// Path → id for clouds that address objects by id (rclone's dircache). The root is the storage's
/// <c>root_folder_id</c>; other paths are found one segment at a time through the driver's child lookup and
/// remembered. Drivers feed it from every listing and write, and forget paths they move or delete.
/// </summary>
public sealed class PathIdCache
{
    private readonly ConcurrentDictionary<string, CloudNode> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<CloudNode?>>> _lookups = new(StringComparer.Ordinal);
    private readonly Func<CloudNode, string, CancellationToken, Task<CloudNode?>> _findChild;

    /// <param name="rootId">The id the storage's root maps to.</param>
    /// <param name="findChild">Looks a name up in a folder (usually by listing it); null when absent.</param>
    public PathIdCache(string rootId, Func<CloudNode, string, CancellationToken, Task<CloudNode?>> findChild)
    {
        Root = new CloudNode(rootId, true);
        _findChild = findChild;
    }

    public CloudNode Root { get; }

    /// <summary>The node at <paramref name="path"/>, or null when it does not exist (or a parent segment is a file).</summary>
    public async Task<CloudNode?> TryResolveAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return Root;
        }

        if (_nodes.TryGetValue(path.Value, out var known))
        {
            return known;
        }

        var parent = await TryResolveAsync(path.Parent, cancellationToken).ConfigureAwait(false);
        if (parent is not { IsDirectory: true })
        {
            return null;
        }

        // One lookup per path however many requests ask at once (a player opening a folder fires dozens); it runs to
        // completion for the others even when the caller that started it leaves.
        var lookup = _lookups.GetOrAdd(path.Value, _ => new Lazy<Task<CloudNode?>>(() => FindAsync(parent, path)));
        return await lookup.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<CloudNode?> FindAsync(CloudNode parent, StoragePath path)
    {
        try
        {
            var found = await _findChild(parent, path.Name, CancellationToken.None).ConfigureAwait(false);
            if (found is not null)
            {
                _nodes[path.Value] = found;
            }

            return found;
        }
        finally
        {
            _lookups.TryRemove(path.Value, out _);
        }
    }

    /// <summary>The node at <paramref name="path"/>; NotFound when it does not exist.</summary>
    public async Task<CloudNode> ResolveAsync(StoragePath path, CancellationToken cancellationToken) =>
        await TryResolveAsync(path, cancellationToken).ConfigureAwait(false) ?? throw StorageException.NotFound(path);

    /// <summary>The folder at <paramref name="path"/>; NotFound when missing, IsFile when it is a file.</summary>
    public async Task<CloudNode> ResolveDirectoryAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var node = await ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        return node.IsDirectory ? node : throw new StorageException(StorageErrorKind.IsFile, $"not a directory: {path}");
    }

    /// <summary>The folder holding <paramref name="path"/>; NotFound when it is missing or a file.</summary>
    public async Task<CloudNode> ResolveParentAsync(StoragePath path, CancellationToken cancellationToken) =>
        await TryResolveAsync(path.Parent, cancellationToken).ConfigureAwait(false) is { IsDirectory: true } parent
            ? parent
            : throw new StorageException(StorageErrorKind.NotFound, $"parent folder not found: {path}");

    /// <summary>
    /// The folder holding <paramref name="path"/> and what <paramref name="find"/> finds in it. When the folder's
    /// remembered id went stale (moved or removed elsewhere, so the cloud answers NotFound), the folder is looked up
    /// afresh once.
    /// </summary>
    public async Task<(CloudNode Parent, T Found)> InParentAsync<T>(
        StoragePath path, Func<CloudNode, CancellationToken, Task<T>> find, CancellationToken cancellationToken)
    {
        var parent = await ResolveParentAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return (parent, await find(parent, cancellationToken).ConfigureAwait(false));
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.NotFound && !path.Parent.IsRoot)
        {
            Forget(path.Parent);
            parent = await ResolveParentAsync(path, cancellationToken).ConfigureAwait(false);
            return (parent, await find(parent, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Records what a listing or a write learned.</summary>
    public void Remember(StoragePath path, CloudNode node)
    {
        if (!path.IsRoot)
        {
            _nodes[path.Value] = node;
        }
    }

    /// <summary>Forgets <paramref name="path"/> and everything below it (after a move, rename or delete).</summary>
    public void Forget(StoragePath path)
    {
        if (path.IsRoot)
        {
            _nodes.Clear();
            return;
        }

        _nodes.TryRemove(path.Value, out _);
        var prefix = path.Value + "/";
        foreach (var key in _nodes.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                _nodes.TryRemove(key, out _);
            }
        }
    }
}
