using System.Collections.Concurrent;

namespace RingKV.Storage.RocksDb;

/// <summary>
/// The header (version, flags, expiry) of every record a <see cref="RocksDbKeyValueStore"/> holds, in memory, per
/// slot: keys and versions in RAM, values on disk, as Bitcask's keydir and Aerospike's primary index do.
/// </summary>
/// <remarks>
/// <para>
/// Why: every write is a read-compare-write (<see cref="MergeRule"/>), and a primary versions a write above the copy
/// it holds. Against RocksDB alone that is two point reads and a write per SET, and the reads cost as much as the
/// write: each walks the memtables' skip lists and the level-0 files. From here the comparison is a hash lookup, a
/// read of an absent key never touches RocksDB, and counting values with an expiry needs no disk scan (ADR 0011).
/// </para>
/// <para>
/// Cost: about 110 bytes per key plus the key itself (the key array, the dictionary entry and a 32-byte header),
/// so a node needs RAM for its keys, not for its values. Built by the scan the store already does when it opens.
/// </para>
/// <para>
/// Thread-safety: readers need no lock. Writers of one key must hold that key's stripe of the store (the store's
/// read-compare-write already does), so a key's entry always matches its RocksDB record once the writer returns;
/// the store writes RocksDB first and this directory second, so a reader that finds a header finds the record.
/// </para>
/// </remarks>
internal sealed class KeyDirectory
{
    private readonly ConcurrentDictionary<byte[], RecordHeader>?[] _slots =
        new ConcurrentDictionary<byte[], RecordHeader>?[StorageSlots.Count];

    public bool TryGet(int slot, ReadOnlySpan<byte> key, out RecordHeader header)
    {
        var entries = Volatile.Read(ref _slots[slot]);
        if (entries is null)
        {
            header = default;
            return false;
        }
        return entries.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out header);
    }

    /// <summary>Whether the slot may hold records: a scan of an empty slot returns without opening an iterator.</summary>
    public bool MayHaveRecords(int slot) => Volatile.Read(ref _slots[slot]) is { IsEmpty: false };

    /// <summary>Records <paramref name="header"/> as the key's; the caller holds the key's stripe.</summary>
    public void Set(int slot, ReadOnlySpan<byte> key, RecordHeader header) =>
        GetOrCreateSlot(slot).GetAlternateLookup<ReadOnlySpan<byte>>()[key] = header;

    /// <summary>Forgets the key; the caller holds the key's stripe.</summary>
    public void Remove(int slot, ReadOnlySpan<byte> key) =>
        Volatile.Read(ref _slots[slot])?.GetAlternateLookup<ReadOnlySpan<byte>>().TryRemove(key, out _);

    /// <summary>The headers of one slot, or of every slot; concurrent writes may or may not be seen.</summary>
    public IEnumerable<RecordHeader> Headers(int? slot = null)
    {
        var (from, to) = slot is { } one ? (one, one + 1) : (0, StorageSlots.Count);
        for (var s = from; s < to; s++)
        {
            if (Volatile.Read(ref _slots[s]) is { } entries)
            {
                foreach (var entry in entries)
                {
                    yield return entry.Value;
                }
            }
        }
    }

    /// <summary>Forgets the slot's keys; the caller holds every stripe.</summary>
    public void DropSlot(int slot) => Volatile.Write(ref _slots[slot], null);

    /// <summary>Forgets every key; the caller holds every stripe.</summary>
    public void Clear() => Array.Clear(_slots);

    private ConcurrentDictionary<byte[], RecordHeader> GetOrCreateSlot(int slot)
    {
        var entries = Volatile.Read(ref _slots[slot]);
        if (entries is not null)
        {
            return entries;
        }

        var created = new ConcurrentDictionary<byte[], RecordHeader>(ByteArrayKeyComparer.Instance);
        return Interlocked.CompareExchange(ref _slots[slot], created, null) ?? created;
    }
}
