using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace RingKV.Storage.InMemory;

/// <summary>
/// An <see cref="IKeyValueStore"/> held in process memory, for cache nodes and fast tests; nothing survives the
/// process. Thread-safety and atomicity are those of the interface, achieved without locks: each slot is a
/// concurrent dictionary created on first write, and <see cref="Apply"/> is a compare-and-swap retry loop on the key.
/// </summary>
/// <remarks>
/// Costs: <see cref="TryGet"/> and <see cref="Apply"/> are O(1) and allocate nothing except the key copy when a key
/// is inserted. <see cref="CountLive"/> is O(1) while no stored value has an expiry and O(records) otherwise.
/// <see cref="ScanSlot"/> has no ordered index to walk: each call snapshots the slot's entries past its resume key and
/// sorts them, O(n log n) in the slot's records, then copies each key it yields; paging through a slot of n records
/// in pages of p therefore costs O(n²/p · log n) overall. <see cref="Clear"/> is O(records).
/// </remarks>
public sealed class InMemoryKeyValueStore : IKeyValueStore
{
    private readonly ConcurrentDictionary<byte[], StoredRecord>?[] _slots =
        new ConcurrentDictionary<byte[], StoredRecord>?[StorageSlots.Count];

    private readonly LiveValueCounter _live = new();
    private volatile bool _disposed;

    public bool TryGet(int slot, ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out StoredRecord record)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        ThrowIfDisposed();
        var entries = Volatile.Read(ref _slots[slot]);
        if (entries is null)
        {
            record = null;
            return false;
        }

        return entries.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out record);
    }

    public bool TryGetHeader(int slot, ReadOnlySpan<byte> key, out RecordHeader header)
    {
        var found = TryGet(slot, key, out var record);
        header = found ? RecordHeader.Of(record!) : default;
        return found;
    }

    public ApplyResult Apply(int slot, ReadOnlySpan<byte> key, StoredRecord record)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        ArgumentNullException.ThrowIfNull(record);
        ThrowIfDisposed();
        var entries = GetOrCreateSlot(slot);
        var lookup = entries.GetAlternateLookup<ReadOnlySpan<byte>>();
        while (true)
        {
            if (lookup.TryGetValue(key, out var storedKey, out var existing))
            {
                if (!MergeRule.Supersedes(record, existing))
                {
                    return ApplyResult.Stale;
                }

                // Replaces only the very record we compared against (StoredRecord has reference equality); if a
                // concurrent Apply or Clear got there first we loop and merge against whatever is there now.
                if (entries.TryUpdate(storedKey, record, existing))
                {
                    _live.Account(slot, removed: existing, added: record);
                    return ApplyResult.Applied;
                }
            }
            else if (lookup.TryAdd(key, record))
            {
                _live.Account(slot, removed: null, added: record);
                return ApplyResult.Applied;
            }
        }
    }

    public bool RemoveIfVersion(int slot, ReadOnlySpan<byte> key, Versioning.RecordVersion version)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        ThrowIfDisposed();
        var entries = Volatile.Read(ref _slots[slot]);
        if (entries is null || !entries.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out var storedKey, out var existing)
            || existing.Version != version)
        {
            return false;
        }
        // Removes only the exact record compared against: a concurrent Apply of a newer version wins.
        if (!entries.TryRemove(new KeyValuePair<byte[], StoredRecord>(storedKey, existing)))
        {
            return false;
        }
        _live.Account(slot, removed: existing, added: null);
        return true;
    }

    public long ApproximateBytes => _live.ValueBytes;

    public long CountLive(long nowMs)
    {
        ThrowIfDisposed();
        var count = _live.Persistent;
        if (_live.Expiring == 0)
        {
            return count;
        }

        foreach (var entries in _slots)
        {
            if (entries is null)
            {
                continue;
            }

            foreach (var (_, record) in entries)
            {
                if (record.ExpiresAtMs != 0 && record.IsLive(nowMs))
                {
                    count++;
                }
            }
        }

        return count;
    }

    public long CountLiveInSlot(int slot, long nowMs)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        ThrowIfDisposed();
        var count = _live.PersistentIn(slot);
        if (_live.ExpiringIn(slot) == 0 || Volatile.Read(ref _slots[slot]) is not { } entries)
        {
            return count;
        }
        foreach (var (_, record) in entries)
        {
            if (record.ExpiresAtMs != 0 && record.IsLive(nowMs))
            {
                count++;
            }
        }
        return count;
    }

    public IEnumerable<KeyValuePair<byte[], StoredRecord>> ScanSlot(int slot, byte[]? after = null)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        ThrowIfDisposed();
        var entries = Volatile.Read(ref _slots[slot]);
        // The snapshot is taken on first MoveNext, when the caller may already have reused the resume key's buffer.
        return entries is null ? [] : SortedCopies(entries, after?.AsSpan().ToArray());
    }

    public int DropSlot(int slot)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        ThrowIfDisposed();
        var entries = Volatile.Read(ref _slots[slot]);
        return entries is null ? 0 : RemoveAll(slot, entries);
    }

    public void Clear()
    {
        ThrowIfDisposed();
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (Volatile.Read(ref _slots[slot]) is { } entries)
            {
                RemoveAll(slot, entries);
            }
        }
    }

    // Removing entry by entry (only if still holding the record we saw) keeps the counters exact when an Apply races
    // with the removal; dropping whole dictionaries would lose track of such writes.
    private int RemoveAll(int slot, ConcurrentDictionary<byte[], StoredRecord> entries)
    {
        var removed = 0;
        foreach (var entry in entries)
        {
            if (entries.TryRemove(entry))
            {
                _live.Account(slot, removed: entry.Value, added: null);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>Releases the stored records; later calls to any member throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        Array.Clear(_slots);
    }

    private ConcurrentDictionary<byte[], StoredRecord> GetOrCreateSlot(int slot)
    {
        var entries = Volatile.Read(ref _slots[slot]);
        if (entries is not null)
        {
            return entries;
        }

        // Two first writers may both allocate; the loser's dictionary is dropped unused.
        var created = new ConcurrentDictionary<byte[], StoredRecord>(ByteArrayKeyComparer.Instance);
        return Interlocked.CompareExchange(ref _slots[slot], created, null) ?? created;
    }

    private static IEnumerable<KeyValuePair<byte[], StoredRecord>> SortedCopies(
        ConcurrentDictionary<byte[], StoredRecord> entries, byte[]? after)
    {
        // The dictionary's enumerator tolerates concurrent writes and yields each key once, so the snapshot inherits
        // the interface's guarantees; sorting a snapshot (not the live table) is what makes the order hold under them.
        var snapshot = new List<KeyValuePair<byte[], StoredRecord>>();
        foreach (var entry in entries)
        {
            if (after is null || entry.Key.AsSpan().SequenceCompareTo(after) > 0)
            {
                snapshot.Add(entry);
            }
        }

        snapshot.Sort(static (x, y) => x.Key.AsSpan().SequenceCompareTo(y.Key));
        foreach (var (key, record) in snapshot)
        {
            // The stored key arrays are the dictionary's own; a caller mutating one would silently corrupt the table.
            yield return new KeyValuePair<byte[], StoredRecord>(key.AsSpan().ToArray(), record);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
