using System.Diagnostics.CodeAnalysis;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers;

/// <summary>
/// A path inside one storage, relative to its root: <c>/</c> for the root, otherwise <c>/a/b</c> with no trailing
/// slash. Every instance is validated: no empty, <c>.</c> or <c>..</c> segments, no NUL, no backslash and no
/// control characters, so a driver that joins segments onto its own root can never be walked out of it.
/// </summary>
public readonly record struct StoragePath
{
    private readonly string? _value;

    private StoragePath(string value) => _value = value;

    /// <summary>The storage root.</summary>
    public static StoragePath Root { get; } = new("/");

    /// <summary>The normalised text form: <c>/</c> or <c>/a/b</c>.</summary>
    public string Value => _value ?? "/";

    public bool IsRoot => Value.Length == 1;

    /// <summary>The last segment; empty for the root.</summary>
    public string Name => IsRoot ? string.Empty : Value[(Value.LastIndexOf('/') + 1)..];

    /// <summary>The parent path; the root's parent is the root.</summary>
    public StoragePath Parent
    {
        get
        {
            if (IsRoot)
            {
                return this;
            }

            var i = Value.LastIndexOf('/');
            return i == 0 ? Root : new StoragePath(Value[..i]);
        }
    }

    /// <summary>The segments, root first; empty for the root.</summary>
    public IReadOnlyList<string> Segments => IsRoot ? [] : Value[1..].Split('/');

    /// <summary>Appends one validated name.</summary>
    /// <exception cref="StorageException">InvalidName when <paramref name="name"/> is not a valid single segment.</exception>
    public StoragePath Combine(string name)
    {
        if (!IsValidName(name, out var reason))
        {
            throw new StorageException(StorageErrorKind.InvalidName, $"invalid name: {reason}");
        }

        return new StoragePath(IsRoot ? "/" + name : Value + "/" + name);
    }

    /// <summary>True when this path equals <paramref name="other"/> or lies below it.</summary>
    public bool IsSameOrUnder(StoragePath other) =>
        other.IsRoot || Value == other.Value || Value.StartsWith(other.Value + "/", StringComparison.Ordinal);

    /// <summary>Parses an already-decoded path such as <c>/a/b/</c> or <c>a/b</c>.</summary>
    /// <exception cref="StorageException">InvalidName for a hostile or malformed path.</exception>
    public static StoragePath Parse(string path)
    {
        if (!TryParse(path, out var result, out var reason))
        {
            throw new StorageException(StorageErrorKind.InvalidName, $"invalid path: {reason}");
        }

        return result;
    }

    public static bool TryParse(string? path, out StoragePath result, [NotNullWhen(false)] out string? reason)
    {
        result = Root;
        if (path is null)
        {
            reason = "path is null";
            return false;
        }

        var current = Root;
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0)
            {
                continue; // leading, trailing and doubled slashes collapse
            }

            if (!IsValidName(segment, out reason))
            {
                return false;
            }

            current = new StoragePath(current.IsRoot ? "/" + segment : current.Value + "/" + segment);
        }

        result = current;
        reason = null;
        return true;
    }

    /// <summary>Whether <paramref name="name"/> is usable as one path segment on every driver.</summary>
    public static bool IsValidName(string name, [NotNullWhen(false)] out string? reason)
    {
        if (string.IsNullOrEmpty(name))
        {
            reason = "empty name";
            return false;
        }

        if (name is "." or "..")
        {
            reason = "'.' and '..' are not names";
            return false;
        }

        foreach (var c in name)
        {
            if (c == '/' || c == '\\')
            {
                reason = "a name cannot contain a path separator";
                return false;
            }

            if (char.IsControl(c))
            {
                reason = c == '\0' ? "a name cannot contain NUL" : "a name cannot contain control characters";
                return false;
            }
        }

        if (name.Length > 255)
        {
            reason = "a name is limited to 255 characters";
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>Compares the text form, so <c>default</c> equals <see cref="Root"/>.</summary>
    public bool Equals(StoragePath other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Value;
}
