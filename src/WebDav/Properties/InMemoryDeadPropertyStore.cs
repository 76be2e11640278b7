using System.Collections.Concurrent;
using System.Xml.Linq;

namespace OpenList.DriverHost.WebDav.Properties;

/// <summary>A process-local <see cref="IDeadPropertyStore"/> for tests and for hosts without a state store.</summary>
public sealed class InMemoryDeadPropertyStore : IDeadPropertyStore
{
    private readonly ConcurrentDictionary<string, Dictionary<XName, XElement>> _byPath = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<IReadOnlyList<DeadProperty>> GetAsync(string path, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<DeadProperty> result = _byPath.TryGetValue(path, out var props)
                ? props.Select(p => new DeadProperty(p.Key, new XElement(p.Value))).ToList()
                : [];
            return Task.FromResult(result);
        }
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyList<DeadProperty>>> GetMembersAsync(string collection, CancellationToken cancellationToken)
    {
        var prefix = collection == "/" ? "/" : collection + "/";
        lock (_gate)
        {
            IReadOnlyDictionary<string, IReadOnlyList<DeadProperty>> result = _byPath
                .Where(kv => kv.Key.Length > prefix.Length && kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Key.IndexOf('/', prefix.Length) < 0)
                .ToDictionary(kv => kv.Key, kv => (IReadOnlyList<DeadProperty>)kv.Value.Select(p => new DeadProperty(p.Key, new XElement(p.Value))).ToList(), StringComparer.Ordinal);
            return Task.FromResult(result);
        }
    }

    public Task PatchAsync(string path, IReadOnlyList<DeadPropertyChange> changes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var props = _byPath.GetOrAdd(path, _ => []);
            foreach (var change in changes)
            {
                if (change.Element is null)
                {
                    props.Remove(change.Name);
                }
                else
                {
                    props[change.Name] = new XElement(change.Element);
                }
            }

            if (props.Count == 0)
            {
                _byPath.TryRemove(path, out _);
            }
        }

        return Task.CompletedTask;
    }

    public Task CopyAsync(string source, string destination, bool recursive, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var (path, props) in Matching(source, recursive))
            {
                _byPath[destination + path[source.Length..]] = props.ToDictionary(p => p.Key, p => new XElement(p.Value));
            }
        }

        return Task.CompletedTask;
    }

    public Task MoveAsync(string source, string destination, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var (path, props) in Matching(source, recursive: true))
            {
                _byPath.TryRemove(path, out _);
                _byPath[destination + path[source.Length..]] = props;
            }
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var (p, _) in Matching(path, recursive: true))
            {
                _byPath.TryRemove(p, out _);
            }
        }

        return Task.CompletedTask;
    }

    private List<KeyValuePair<string, Dictionary<XName, XElement>>> Matching(string root, bool recursive)
    {
        var prefix = root == "/" ? "/" : root + "/";
        return _byPath.Where(kv => kv.Key == root || (recursive && kv.Key.StartsWith(prefix, StringComparison.Ordinal))).ToList();
    }
}
