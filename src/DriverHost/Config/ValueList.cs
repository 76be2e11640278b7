using System.Collections;
using System.Runtime.CompilerServices;

namespace OpenList.DriverHost.Config;

/// <summary>
/// An immutable list with value equality, so configuration records that hold lists compare by content
/// (a reload that changes nothing produces an equal snapshot).
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    public ValueList(IEnumerable<T> items) => _items = items.ToArray();

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueList<T>? other) =>
        other is not null && (ReferenceEquals(this, other) || _items.AsSpan().SequenceEqual(other._items));

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

/// <summary>Builders for <see cref="ValueList{T}"/> (also used by collection expressions).</summary>
public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? Empty<T>() : new ValueList<T>(items.ToArray());

    /// <summary>The shared empty list.</summary>
    public static ValueList<T> Empty<T>() => EmptyHolder<T>.Instance;

    private static class EmptyHolder<T>
    {
        public static readonly ValueList<T> Instance = new([]);
    }

    public static ValueList<T> ToValueList<T>(this IEnumerable<T> items) => new(items);
}
