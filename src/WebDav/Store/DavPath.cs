namespace OpenList.DriverHost.WebDav.Store;

/// <summary>
/// A decoded path below the DAV prefix: <c>/</c> for the prefix itself, otherwise <c>/a/b</c> without a trailing
/// slash. Built only from request targets decoded segment by segment, so a segment may hold any character except
/// <c>/</c> (an encoded <c>%2F</c> is refused before a DavPath exists).
/// </summary>
public readonly record struct DavPath
{
    private readonly string? _value;

    private DavPath(string value) => _value = value;

    public static DavPath Root { get; } = new("/");

    public string Value => _value ?? "/";

    public bool IsRoot => Value.Length == 1;

    public string Name => IsRoot ? string.Empty : Value[(Value.LastIndexOf('/') + 1)..];

    public DavPath Parent
    {
        get
        {
            if (IsRoot)
            {
                return this;
            }

            var i = Value.LastIndexOf('/');
            return i == 0 ? Root : new DavPath(Value[..i]);
        }
    }

    public IReadOnlyList<string> Segments => IsRoot ? [] : Value[1..].Split('/');

    public DavPath Combine(string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("a child name is one non-empty segment", nameof(name));
        }

        return new DavPath(IsRoot ? "/" + name : Value + "/" + name);
    }

    /// <summary>True when this equals <paramref name="other"/> or lies below it.</summary>
    public bool IsSameOrUnder(DavPath other) =>
        other.IsRoot || Value == other.Value || Value.StartsWith(other.Value + "/", StringComparison.Ordinal);

    /// <summary>Builds a path from decoded segments; empty segments are dropped.</summary>
    public static DavPath FromSegments(IEnumerable<string> segments)
    {
        var path = Root;
        foreach (var s in segments)
        {
            if (s.Length > 0)
            {
                path = path.Combine(s);
            }
        }

        return path;
    }

    /// <summary>Parses a decoded path such as <c>/a/b/</c>.</summary>
    public static DavPath Parse(string decoded) => FromSegments(decoded.Split('/'));

    /// <summary>The path with <paramref name="ancestor"/> replaced by <paramref name="replacement"/>.</summary>
    public DavPath Rebase(DavPath ancestor, DavPath replacement)
    {
        if (!IsSameOrUnder(ancestor))
        {
            throw new ArgumentException($"{Value} is not under {ancestor.Value}", nameof(ancestor));
        }

        var rest = ancestor.IsRoot ? Value : Value[ancestor.Value.Length..];
        return Parse(replacement.Value + "/" + rest);
    }

    /// <summary>Compares the text form, so <c>default</c> equals <see cref="Root"/>.</summary>
    public bool Equals(DavPath other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Value;
}
