using System.Buffers.Binary;
using System.IO.Hashing;
using RingKV.Placement;
using RingKV.Storage;
using RingKV.Storage.Maintenance;
using RingKV.Storage.Versioning;

namespace RingKV.Node.Rebalancing;

/// <summary>One key's version in a slot listing: what a puller compares with its own copy (and the record, when asked).</summary>
public readonly record struct KeyVersion(int Slot, byte[] Key, RecordVersion Version, StoredRecord? Record = null);

/// <summary>
/// The views of a node's stored slots that copying and repair exchange: a digest per slot, and key versions in
/// (slot, key) order, paged. Both skip records old enough to be purged, so that two replicas whose purgers ran at
/// different moments still agree, and a purged tombstone is never copied back.
/// </summary>
public static class SlotRecords
{
    /// <summary>Bytes of a version on the wire: the timestamp then the node tag, big-endian.</summary>
    public const int VersionLength = 12;

    /// <summary>
    /// An order-independent hash of the slot's (key, version) pairs: XOR of XxHash64(key ‖ version). Equal sets of
    /// records give equal digests on every node; 0 for a slot with nothing to compare.
    /// </summary>
    public static ulong Digest(IKeyValueStore store, int slot, long purgeCutoffMs)
    {
        ulong digest = 0;
        var buffer = new byte[256];
        foreach (var (key, record) in store.ScanSlot(slot))
        {
            if (RecordPurger.IsPurgeable(record, purgeCutoffMs))
            {
                continue;
            }
            if (buffer.Length < key.Length + VersionLength)
            {
                buffer = new byte[key.Length + VersionLength];
            }
            key.CopyTo(buffer, 0);
            WriteVersion(record.Version, buffer.AsSpan(key.Length));
            digest ^= XxHash64.HashToUInt64(buffer.AsSpan(0, key.Length + VersionLength));
        }
        return digest;
    }

    /// <summary>
    /// Up to <paramref name="maxEntries"/> key versions of <paramref name="slots"/>, in (slot, key) order, starting at
    /// slot <paramref name="fromSlot"/> after key <paramref name="after"/> (from the slot's start when null).
    /// </summary>
    /// <returns>The entries and where the next page starts; <c>NextSlot</c> is -1 after the last page.</returns>
    /// <param name="withRecords">Include each record, and end the page once their encoded size passes <paramref name="maxBytes"/>.</param>
    public static (List<KeyVersion> Entries, int NextSlot, byte[]? NextAfter) Page(
        IKeyValueStore store, SlotSet slots, int fromSlot, byte[]? after, int maxEntries, long purgeCutoffMs,
        bool withRecords = false, long maxBytes = long.MaxValue)
    {
        var entries = new List<KeyVersion>();
        var bytes = 0L;
        foreach (var slot in slots)
        {
            if (slot < fromSlot)
            {
                continue;
            }
            foreach (var (key, record) in store.ScanSlot(slot, slot == fromSlot ? after : null))
            {
                if (entries.Count == maxEntries || bytes >= maxBytes)
                {
                    // The previous entry is the cursor: the next page starts after it, in its slot.
                    var last = entries[^1];
                    return (entries, last.Slot, last.Key);
                }
                if (!RecordPurger.IsPurgeable(record, purgeCutoffMs))
                {
                    entries.Add(new KeyVersion(slot, key, record.Version, withRecords ? record : null));
                    bytes += withRecords ? key.Length + RecordCodec.GetEncodedLength(record) : 0;
                }
            }
        }
        return (entries, -1, null);
    }

    public static void WriteVersion(RecordVersion version, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, version.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], version.NodeTag);
    }

    /// <exception cref="FormatException">Not a 12-byte version.</exception>
    public static RecordVersion ReadVersion(ReadOnlySpan<byte> source) =>
        source.Length == VersionLength
            ? new RecordVersion(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[8..]))
            : throw new FormatException($"a record version is {VersionLength} bytes, got {source.Length}");
}
