namespace RingKV.Storage;

/// <summary>
/// Content equality for byte-array keys that also accepts spans, so dictionary lookups by a slice of a receive
/// buffer need no array. Thread-safe (stateless).
/// </summary>
public sealed class ByteArrayKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static ByteArrayKeyComparer Instance { get; } = new();

    private ByteArrayKeyComparer()
    {
    }

    public bool Equals(byte[]? x, byte[]? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    // HashCode is seeded per process, so clients cannot choose keys that all collide (hash flooding).
    // Both overloads must hash identically: the dictionary mixes array and span lookups of the same key.
    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
