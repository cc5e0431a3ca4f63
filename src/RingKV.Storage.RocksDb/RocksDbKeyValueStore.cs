using System.Diagnostics.CodeAnalysis;
using RingKV.Storage.Versioning;
using RocksDbSharp;

namespace RingKV.Storage.RocksDb;

/// <summary>
/// The records of a <see cref="RocksDbEngine"/>: one RocksDB entry per key in the default column family, keyed as
/// <see cref="RecordKeys"/> describes (big-endian slot, then the key) with the <see cref="RecordCodec"/> encoding of
/// its <see cref="StoredRecord"/> as the value. Obtain it from <see cref="RocksDbEngine.Store"/>.
/// </summary>
/// <remarks>
/// <para>
/// Atomicity: RocksDB has no compare-and-swap, so <see cref="Apply"/> and <see cref="RemoveIfVersion"/> hold one of
/// 4096 striped locks, chosen by a hash of the stored key, around their read-compare-write. Writers of one key are
/// therefore serialised; writers of different keys share a lock only by hash collision. <see cref="TryGet"/> and
/// <see cref="ScanSlot"/> take no lock (RocksDB reads are atomic per entry). <see cref="Clear"/> takes all stripes.
/// </para>
/// <para>
/// Costs: <see cref="TryGet"/> is one RocksDB get; <see cref="Apply"/> and <see cref="RemoveIfVersion"/> a get and a
/// write (plus an fsync under <see cref="FsyncPolicy.Always"/>). <see cref="CountLive"/> is O(1) while no stored value
/// has an expiry, and otherwise reads every record's header (a sequential scan: about 0.75 s per million records on
/// our 2-core machines, so a DBSIZE on a big store with TTLs is slow) because expiry depends on the time asked about;
/// counts of values with and without expiry are kept in memory and rebuilt by one scan when the engine opens (an
/// open takes about 2 s per million records). <see cref="ScanSlot"/> reads the slot in batches of 256 records, each
/// from a fresh iterator, so a slow consumer pins no RocksDB resources between batches; the stored order is already
/// the contract's, so resuming after a key is one seek, not a sort. <see cref="Clear"/> is one
/// range delete; the space is reclaimed later by compaction.
/// </para>
/// <para>
/// Errors: a RocksDB failure (disk full, I/O error) throws <see cref="StorageException"/>, and a record that does not
/// decode (on-disk corruption) too; members also throw as <see cref="IKeyValueStore"/> says.
/// </para>
/// </remarks>
public sealed class RocksDbKeyValueStore : IKeyValueStore
{
    private const int LockStripes = 4096;
    private const int ScanBatchSize = 256;

    private readonly RocksDbEngine _engine;
    private readonly ColumnFamilyHandle _family;
    private readonly StripedLocks _locks = new(LockStripes);

    private readonly LiveValueCounter _live = new();
    private readonly SlotOccupancy _occupied = new();
    private volatile bool _disposed;

    internal RocksDbKeyValueStore(RocksDbEngine engine, ColumnFamilyHandle family)
    {
        _engine = engine;
        _family = family;
        foreach (var (slot, header) in ReadAllHeaders())
        {
            _live.Account(slot, removed: null, added: header);
            _occupied.Mark(slot);
        }
    }

    public bool TryGet(int slot, ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out StoredRecord record)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        using var scope = Enter();
        using var storedKey = RecordKeys.Rent(slot, key);
        var encoded = Get(storedKey.Span);
        record = encoded is null ? null : Decode(encoded, storedKey.Span, headerOnly: false);
        return record is not null;
    }

    public ApplyResult Apply(int slot, ReadOnlySpan<byte> key, StoredRecord record)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        ArgumentNullException.ThrowIfNull(record);
        using var scope = Enter();
        _engine.ThrowIfWritesRefused();
        using var storedKey = RecordKeys.Rent(slot, key);
        using var value = PooledBytes.Rent(RecordCodec.GetEncodedLength(record));
        RecordCodec.Encode(record, value.Span);

        lock (_locks.For(storedKey.Span))
        {
            var existing = GetHeader(storedKey.Span);
            if (!MergeRule.Supersedes(record, existing))
            {
                return ApplyResult.Stale;
            }

            _occupied.Mark(slot);
            try
            {
                _engine.Database.Put(storedKey.Span, value.Span, _family, _engine.WriteOptions);
            }
            catch (RocksDbSharpException ex)
            {
                throw _engine.Failure($"store a record of slot {slot}", ex);
            }

            _live.Account(slot, removed: existing, added: record);
            return ApplyResult.Applied;
        }
    }

    public bool RemoveIfVersion(int slot, ReadOnlySpan<byte> key, RecordVersion version)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        using var scope = Enter();
        _engine.ThrowIfWritesRefused();
        using var storedKey = RecordKeys.Rent(slot, key);

        lock (_locks.For(storedKey.Span))
        {
            var existing = GetHeader(storedKey.Span);
            if (existing is null || existing.Version != version)
            {
                return false;
            }

            try
            {
                _engine.Database.Remove(storedKey.Span, _family, _engine.WriteOptions);
            }
            catch (RocksDbSharpException ex)
            {
                throw _engine.Failure($"remove a record of slot {slot}", ex);
            }

            _live.Account(slot, removed: existing, added: null);
            return true;
        }
    }

    public long CountLive(long nowMs)
    {
        using var scope = Enter();
        var count = _live.Persistent;
        if (_live.Expiring == 0)
        {
            return count;
        }

        foreach (var (_, header) in ReadAllHeaders())
        {
            if (header.ExpiresAtMs != 0 && header.IsLive(nowMs))
            {
                count++;
            }
        }

        return count;
    }

    public long CountLiveInSlot(int slot, long nowMs)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        using var scope = Enter();
        var count = _live.PersistentIn(slot);
        if (_live.ExpiringIn(slot) == 0)
        {
            return count;
        }
        foreach (var (_, header) in ReadAllHeaders(RecordKeys.SlotStart(slot), RecordKeys.SlotStart(slot + 1)))
        {
            if (header.ExpiresAtMs != 0 && header.IsLive(nowMs))
            {
                count++;
            }
        }
        return count;
    }

    public IEnumerable<KeyValuePair<byte[], StoredRecord>> ScanSlot(int slot, byte[]? after = null)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        ObjectDisposedException.ThrowIf(_disposed || _engine.Gate.IsClosed, this);
        return _occupied.MayHaveRecords(slot) ? ScanInBatches(slot, StartKey(slot, after)) : [];
    }

    /// <remarks>
    /// Holds every stripe while it reads the slot's headers (to uncount them) and writes one range tombstone, so
    /// a concurrent Apply lands wholly before (and is removed and uncounted) or after (and is kept). Costs a read of
    /// the slot and a single write, however many records it removes; writers wait for that one slot only.
    /// </remarks>
    public int DropSlot(int slot)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        using var scope = Enter();
        if (!_occupied.MayHaveRecords(slot))
        {
            return 0;
        }
        _engine.ThrowIfWritesRefused();
        var start = RecordKeys.SlotStart(slot);
        var end = RecordKeys.SlotStart(slot + 1);
        _locks.EnterAll();
        try
        {
            var removed = 0;
            foreach (var (_, header) in ReadAllHeaders(start, end))
            {
                _live.Account(slot, removed: header, added: null);
                removed++;
            }
            if (removed > 0)
            {
                using var batch = new WriteBatch();
                batch.DeleteRange(start, (ulong)start.Length, end, (ulong)end.Length, _family);
                _engine.Database.Write(batch, _engine.WriteOptions);
            }
            return removed;
        }
        catch (RocksDbSharpException ex)
        {
            throw _engine.Failure($"drop slot {slot}", ex);
        }
        finally
        {
            _locks.ExitAll();
        }
    }

    public void Clear()
    {
        using var scope = Enter();
        _engine.ThrowIfWritesRefused();
        var start = RecordKeys.SlotStart(0);
        var end = RecordKeys.SlotStart(StorageSlots.Count);

        // Holding every stripe makes the delete and the counter reset one step for writers: each concurrent Apply
        // lands wholly before (and is deleted and uncounted) or wholly after (and is kept and counted).
        _locks.EnterAll();
        try
        {
            using var batch = new WriteBatch();
            batch.DeleteRange(start, (ulong)start.Length, end, (ulong)end.Length, _family);
            _engine.Database.Write(batch, _engine.WriteOptions);
            _live.Reset();
            _occupied.Reset();
        }
        catch (RocksDbSharpException ex)
        {
            throw _engine.Failure("clear the records", ex);
        }
        finally
        {
            _locks.ExitAll();
        }
    }

    /// <summary>
    /// Retires this view: its later calls throw <see cref="ObjectDisposedException"/>. The database stays open; dispose
    /// the <see cref="RocksDbEngine"/> to close it.
    /// </summary>
    public void Dispose() => _disposed = true;

    private EngineGate.Scope Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _engine.Gate.Enter();
    }

    private byte[]? Get(ReadOnlySpan<byte> storedKey)
    {
        try
        {
            return _engine.Database.Get(storedKey, _family);
        }
        catch (RocksDbSharpException ex)
        {
            throw _engine.Failure("read a record", ex);
        }
    }

    /// <summary>The stored record's version, flags and expiry, without its value; null when the key is absent.</summary>
    private StoredRecord? GetHeader(ReadOnlySpan<byte> storedKey) =>
        Get(storedKey) is { } encoded ? Decode(encoded, storedKey, headerOnly: true) : null;

    /// <summary>
    /// Decodes a stored value. With <paramref name="headerOnly"/> the value bytes are skipped: the result carries the
    /// version, flags and expiry (all that merging and counting need) and an empty value, and must not escape.
    /// </summary>
    private StoredRecord Decode(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> storedKey, bool headerOnly)
    {
        try
        {
            return RecordCodec.Decode(headerOnly && encoded.Length > RecordCodec.HeaderLength
                ? encoded[..RecordCodec.HeaderLength]
                : encoded);
        }
        catch (FormatException ex)
        {
            throw new StorageException(
                $"The record of key {Convert.ToHexString(storedKey)} (slot prefix included) in '{_engine.DataDirectory}' " +
                $"is corrupt: {ex.Message}", ex);
        }
    }

    /// <summary>Header-only records of the whole column family; the caller holds the gate while enumerating.</summary>
    private IEnumerable<(int Slot, StoredRecord Header)> ReadAllHeaders(byte[]? start = null, byte[]? end = null)
    {
        var readOptions = new ReadOptions().SetFillCache(false);
        if (end is not null)
        {
            readOptions.SetIterateUpperBound(end);
        }
        using var iterator = _engine.NewIterator(_family, readOptions, "read the records");
        if (start is null)
        {
            iterator.SeekToFirst();
        }
        else
        {
            iterator.Seek(start);
        }
        for (; iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            var header = Decode(iterator.GetValueSpan(), key, headerOnly: true);
            yield return (key.Length >= RecordKeys.PrefixLength ? RecordKeys.SlotOf(key) : 0, header);
        }

        _engine.ThrowIfIteratorFailed(iterator, "read the records");
    }

    /// <summary>
    /// The first RocksDB key a scan of <paramref name="slot"/> may return. The stored order is bytewise and the slot
    /// prefix is shared, so the keys after <paramref name="after"/> start at its successor (itself plus a zero byte):
    /// seeking there skips <paramref name="after"/> itself without a comparison.
    /// </summary>
    private static byte[] StartKey(int slot, byte[]? after)
    {
        if (after is null)
        {
            return RecordKeys.SlotStart(slot);
        }

        using var storedAfter = RecordKeys.Rent(slot, after);
        return RecordKeys.Successor(storedAfter.Span);
    }

    private IEnumerable<KeyValuePair<byte[], StoredRecord>> ScanInBatches(int slot, byte[] from)
    {
        // Slot scans feed streaming and digests: bulk reads that should not evict the hot set from the block cache.
        var readOptions = new ReadOptions()
            .SetFillCache(false)
            .SetIterateUpperBound(RecordKeys.SlotStart(slot + 1));
        while (true)
        {
            var batch = ReadBatch(readOptions, from, out var resumeAt);
            foreach (var entry in batch)
            {
                yield return entry;
            }

            if (resumeAt is null)
            {
                yield break;
            }

            // Resuming strictly after the last key returned is what keeps a key from appearing twice.
            from = resumeAt;
        }
    }

    private List<KeyValuePair<byte[], StoredRecord>> ReadBatch(ReadOptions readOptions, byte[] from, out byte[]? resumeAt)
    {
        using var scope = Enter();
        var batch = new List<KeyValuePair<byte[], StoredRecord>>(ScanBatchSize);
        resumeAt = null;
        using var iterator = _engine.NewIterator(_family, readOptions, "read the records");
        for (iterator.Seek(from); iterator.Valid(); iterator.Next())
        {
            var storedKey = iterator.GetKeySpan();
            if (batch.Count == ScanBatchSize)
            {
                resumeAt = storedKey.ToArray();
                break;
            }

            var record = Decode(iterator.GetValueSpan(), storedKey, headerOnly: false);
            batch.Add(new KeyValuePair<byte[], StoredRecord>(RecordKeys.UserKey(storedKey).ToArray(), record));
        }

        _engine.ThrowIfIteratorFailed(iterator, "read the records");
        return batch;
    }
}
