using System.Buffers;

namespace RingKV.Storage.RocksDb;

/// <summary>
/// A scratch buffer of an exact length rented from <see cref="ArrayPool{T}.Shared"/> and returned on
/// <see cref="Dispose"/>, for keys and values that only live for one native call. Not thread-safe; use on the stack.
/// </summary>
internal ref struct PooledBytes
{
    private byte[]? _array;
    private readonly int _length;

    private PooledBytes(int length)
    {
        _array = ArrayPool<byte>.Shared.Rent(length);
        _length = length;
    }

    public readonly Span<byte> Span => _array.AsSpan(0, _length);

    public static PooledBytes Rent(int length) => new(length);

    public void Dispose()
    {
        if (_array is not null)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = null;
        }
    }
}
