using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Local;

/// <summary>
/// A folder on this machine served as a storage: the default mount and the reference driver of the shared
/// conformance suite. Nothing outside the root folder is reachable, including through symbolic links.
/// Server-side operations are in <c>LocalDriver.ServerSide.cs</c>.
/// </summary>
public sealed partial class LocalDriver : IStorageDriver, IServerSideCopy, IServerSideMove, IModTimeSetter, IQuotaProvider
{
    private const int ListYieldInterval = 256;

    private static readonly EnumerationOptions ListOptions = new()
    {
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    private static readonly FileStreamOptions ReadOptions = new()
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite | FileShare.Delete,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        BufferSize = 1, // unbuffered: callers read with their own large buffers
    };

    private readonly LocalDriverOptions _options;
    private readonly DriverContext _context;
    private readonly ILogger _logger;
    private LocalPathResolver? _resolver;

    public LocalDriver(LocalDriverOptions options, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _context = context;
        _logger = context.LoggerFactory.CreateLogger<LocalDriver>();
    }

    /// <summary>Refined by <see cref="InitializeAsync"/>, which probes what the root's file system keeps.</summary>
    public DriverCapabilities Capabilities { get; private set; } = new()
    {
        CaseInsensitive = LocalPathResolver.PathComparison == StringComparison.OrdinalIgnoreCase,
        ModTimePrecision = TimeSpan.FromMicroseconds(1),
        CacheListings = false, // listing a folder is cheap, and other programs change it without telling the host
    };

    private LocalPathResolver Resolver => _resolver ?? throw new InvalidOperationException("InitializeAsync has not completed");

    public Task InitializeAsync(CancellationToken cancellationToken) => Complete(StoragePath.Root, () =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var root = LocalRootFolder.Prepare(_options, _context, _logger);
        _resolver = new LocalPathResolver(root);
        Capabilities = LocalRootFolder.ProbeCapabilities(root, Capabilities, _context, _logger);
        LocalDriverLog.Ready(_logger, _context.MountPath, root, Capabilities.ModTimePrecision, Capabilities.CaseInsensitive);
        return true;
    });

    public Task<StorageEntry> StatAsync(StoragePath path, CancellationToken cancellationToken) => Complete(path, () =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        return GetEntry(path, ResolveForRead(path).RealPath) ?? throw StorageException.NotFound(path);
    });

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var directory = ResolveForRead(path).RealPath;
        IEnumerator<FileSystemInfo> children;
        try
        {
            switch (GetKind(directory))
            {
                case EntryKind.Missing:
                    throw StorageException.NotFound(path);
                case EntryKind.File:
                    throw new StorageException(StorageErrorKind.IsFile, $"not a directory: {path}");
            }

            children = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", ListOptions).GetEnumerator();
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Map(e, path);
        }

        using (children)
        {
            for (var count = 1; ; count++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                StorageEntry? entry;
                try
                {
                    if (!children.MoveNext())
                    {
                        yield break;
                    }

                    entry = ToChildEntry(path, directory, children.Current);
                }
                catch (Exception e) when (LocalErrors.IsFileSystemError(e))
                {
                    throw LocalErrors.Map(e, path);
                }

                if (entry is not null)
                {
                    yield return entry;
                }

                if (count % ListYieldInterval == 0)
                {
                    await Task.Yield(); // a huge directory must not hold one thread for its whole enumeration
                }
            }
        }
    }

    public Task<StorageReadStream> OpenReadAsync(StoragePath path, ByteRange? range, CancellationToken cancellationToken) => Complete(path, () =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = ResolveForRead(path).RealPath;
        FileStream? stream = null;
        try
        {
            switch (GetKind(file))
            {
                case EntryKind.Missing:
                    throw StorageException.NotFound(path);
                case EntryKind.Directory:
                    throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
            }

            stream = new FileStream(file, ReadOptions);
            var total = stream.Length;
            if (range is not { } r || r.To >= total)
            {
                // No range, or the file shrank since the host normalised it: serve the whole file, range ignored.
                return new StorageReadStream(stream, null, total);
            }

            stream.Seek(r.From, SeekOrigin.Begin);
            return new StorageReadStream(new LengthLimitedReadStream(stream, r.Length), r, total);
        }
        catch (Exception e)
        {
            stream?.Dispose();
            if (LocalErrors.IsFileSystemError(e))
            {
                throw LocalErrors.Map(e, path);
            }

            throw;
        }
    });

    public async Task<StorageEntry> PutAsync(StoragePath path, Stream content, long? length, PutOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (length is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "a declared length cannot be negative");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (path.IsRoot)
        {
            throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
        }

        var target = ResolveForWrite(path, mustExist: false).RealPath;
        try
        {
            var folder = Path.GetDirectoryName(target)!;
            if (GetKind(folder) != EntryKind.Directory)
            {
                throw new StorageException(StorageErrorKind.NotFound, $"parent folder not found: {path}");
            }

            if (GetKind(target) == EntryKind.Directory)
            {
                throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
            }

            await LocalUpload.WriteAsync(folder, target, content, length, options?.LastModified, path, OnTempFileLeft, cancellationToken)
                .ConfigureAwait(false);
            return GetEntry(path, target) ?? throw StorageException.NotFound(path);
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Map(e, path);
        }
    }

    public Task<StorageEntry> CreateDirectoryAsync(StoragePath path, CancellationToken cancellationToken) => Complete(path, () =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var resolved = ResolveForWrite(path, mustExist: false);
        switch (GetKind(resolved.RealPath))
        {
            case EntryKind.Directory:
                return GetEntry(path, resolved.RealPath) ?? throw StorageException.NotFound(path);
            case EntryKind.File:
                throw StorageException.AlreadyExists(path);
        }

        if (EntryExists(resolved.HostPath))
        {
            throw StorageException.AlreadyExists(path); // a dangling link is in the way
        }

        if (GetKind(Path.GetDirectoryName(resolved.HostPath)!) != EntryKind.Directory)
        {
            throw new StorageException(StorageErrorKind.NotFound, $"parent folder not found: {path}");
        }

        Directory.CreateDirectory(resolved.HostPath);
        return GetEntry(path, resolved.HostPath) ?? throw StorageException.NotFound(path);
    });

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken) => Complete(path, () =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (path.IsRoot)
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, "the storage root cannot be deleted");
        }

        var resolved = ResolveForWrite(path, mustExist: true);
        if (!EntryExists(resolved.HostPath))
        {
            throw StorageException.NotFound(path);
        }

        if (resolved.IsLink || GetKind(resolved.HostPath) != EntryKind.Directory)
        {
            File.Delete(resolved.HostPath); // a link is removed itself, never what it points to
        }
        else
        {
            Directory.Delete(resolved.HostPath, recursive: true); // does not follow links inside the tree
        }

        return true;
    });

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
