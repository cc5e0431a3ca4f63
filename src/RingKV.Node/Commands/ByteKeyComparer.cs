using System.IO.Hashing;

namespace RingKV.Node.Commands;

/// <summary>Compares keys by their bytes where they lie (request buffers), with no copy and no string.</summary>
internal sealed class ByteKeyComparer : IEqualityComparer<ReadOnlyMemory<byte>>
{
    public static ByteKeyComparer Instance { get; } = new();

    public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

    public int GetHashCode(ReadOnlyMemory<byte> obj) => (int)XxHash3.HashToUInt64(obj.Span);
}
