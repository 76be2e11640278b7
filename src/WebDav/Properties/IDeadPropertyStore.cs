using System.Xml.Linq;

namespace OpenList.DriverHost.WebDav.Properties;

/// <summary>A dead property: its name and its value as an XML element (the property element itself, with children).</summary>
public sealed record DeadProperty(XName Name, XElement Element);

/// <summary>
/// Persistent dead properties, keyed by a resource path string below the DAV prefix (<c>/a/b</c>). The host
/// provides the durable implementation (state.db); tests use <see cref="InMemoryDeadPropertyStore"/>.
/// </summary>
public interface IDeadPropertyStore
{
    Task<IReadOnlyList<DeadProperty>> GetAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// The properties of every direct member of <paramref name="collection"/> that has any, keyed by member path,
    /// in one look-up: a Depth 1 allprop PROPFIND (Windows lists every folder that way) must not cost one query per member.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<DeadProperty>>> GetMembersAsync(string collection, CancellationToken cancellationToken);

    /// <summary>Applies removals and sets in one transaction, in the order given.</summary>
    Task PatchAsync(string path, IReadOnlyList<DeadPropertyChange> changes, CancellationToken cancellationToken);

    /// <summary>Copies the properties of <paramref name="source"/> and, when <paramref name="recursive"/>, of everything below it.</summary>
    Task CopyAsync(string source, string destination, bool recursive, CancellationToken cancellationToken);

    /// <summary>Moves the properties of <paramref name="source"/> and everything below it.</summary>
    Task MoveAsync(string source, string destination, CancellationToken cancellationToken);

    /// <summary>Forgets the properties of <paramref name="path"/> and everything below it.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}

/// <summary>One step of a PROPPATCH: set (with a value) or remove (value null).</summary>
public sealed record DeadPropertyChange(XName Name, XElement? Element);
