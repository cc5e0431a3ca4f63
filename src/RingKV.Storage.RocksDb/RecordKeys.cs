using System.Buffers.Binary;

namespace RingKV.Storage.RocksDb;

/// <summary>
/// How a record's (slot, key) becomes a RocksDB key in the default column family:
/// <code>
/// offset  size  field
///      0     2  slot, big-endian (0..16383)
///      2     n  the key's bytes, as given
/// </code>
/// RocksDB orders keys bytewise, so the big-endian prefix makes each slot one contiguous range, slots in order:
/// a slot scan is a range scan from <c>SlotStart(slot)</c> to <c>SlotStart(slot + 1)</c>, and a range delete from
/// <c>SlotStart(0)</c> to <c>SlotStart(StorageSlots.Count)</c> removes everything. The layout is on disk: a change
/// needs a data migration, and a golden test pins it. Stateless and thread-safe.
/// </summary>
internal static class RecordKeys
{
    public const int PrefixLength = 2;

    /// <summary>Rents a buffer holding the RocksDB key of (<paramref name="slot"/>, <paramref name="key"/>).</summary>
    public static PooledBytes Rent(int slot, ReadOnlySpan<byte> key)
    {
        var buffer = PooledBytes.Rent(PrefixLength + key.Length);
        var span = buffer.Span;
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)slot);
        key.CopyTo(span[PrefixLength..]);
        return buffer;
    }

    /// <summary>
    /// The smallest RocksDB key of <paramref name="slot"/>, which is also the exclusive end of slot - 1.
    /// Accepts <see cref="StorageSlots.Count"/> itself, the end of the last slot.
    /// </summary>
    public static byte[] SlotStart(int slot)
    {
        var start = new byte[PrefixLength];
        BinaryPrimitives.WriteUInt16BigEndian(start, checked((ushort)slot));
        return start;
    }

    /// <summary>The caller's key inside a RocksDB key.</summary>
    public static ReadOnlySpan<byte> UserKey(ReadOnlySpan<byte> storedKey) => storedKey[PrefixLength..];

    /// <summary>The slot a stored key belongs to (its big-endian prefix).</summary>
    public static int SlotOf(ReadOnlySpan<byte> storedKey) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(storedKey);

    /// <summary>The smallest key that sorts after <paramref name="storedKey"/>: itself followed by a zero byte.</summary>
    public static byte[] Successor(ReadOnlySpan<byte> storedKey)
    {
        var next = new byte[storedKey.Length + 1];
        storedKey.CopyTo(next);
        return next;
    }
}
