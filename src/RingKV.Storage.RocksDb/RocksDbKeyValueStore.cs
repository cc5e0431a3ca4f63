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
/// Memory: the header of every record is also kept in a <see cref="KeyDirectory"/> (about 110 bytes per key plus the
/// key), so comparisons and version lookups never read RocksDB; values stay on disk (ADR 0011).
/// </para>
/// <para>
/// Costs: <see cref="TryGet"/> is one RocksDB get (none when the key is absent); <see cref="TryGetHeader"/> a hash
/// lookup; <see cref="Apply"/> and <see cref="RemoveIfVersion"/> a hash lookup and a RocksDB write (plus an fsync
/// under <see cref="FsyncPolicy.Always"/>). <see cref="CountLive"/> is O(1) while no stored value has an expiry, and
/// otherwise walks the directory, because expiry depends on the time asked about. The directory and the counts of
/// values with and without expiry are rebuilt by one scan when the engine opens (an open takes about 2 s per million
/// records). <see cref="ScanSlot"/> reads the slot in batches of 256 records, each
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
    private readonly KeyDirectory _directory = new();
    private volatile bool _disposed;

    internal RocksDbKeyValueStore(RocksDbEngine engine, ColumnFamilyHandle family)
    {
        _engine = engine;
        _family = family;
        LoadDirectory();
    }

    public bool TryGet(int slot, ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out StoredRecord record)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        using var scope = Enter();
        if (!_directory.TryGet(slot, key, out _))
        {
            record = null;
            return false;
        }
        using var storedKey = RecordKeys.Rent(slot, key);
        var encoded = Get(storedKey.Span);
        record = encoded is null ? null : Decode(encoded, storedKey.Span);
        return record is not null;
    }

    public bool TryGetHeader(int slot, ReadOnlySpan<byte> key, out RecordHeader header)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        using var scope = Enter();
        return _directory.TryGet(slot, key, out header);
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
            RecordHeader? existing = _directory.TryGet(slot, key, out var held) ? held : null;
            if (existing is { } current && record.Version <= current.Version)
            {
                return ApplyResult.Stale;
            }

            try
            {
                _engine.Database.Put(storedKey.Span, value.Span, _family, _engine.WriteOptions);
            }
            catch (RocksDbSharpException ex)
            {
                throw _engine.Failure($"store a record of slot {slot}", ex);
            }

            var added = RecordHeader.Of(record);
            _directory.Set(slot, key, added);
            _live.Account(slot, removed: existing, added: added);
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
            if (!_directory.TryGet(slot, key, out var existing) || existing.Version != version)
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

            _directory.Remove(slot, key);
            _live.Account(slot, removed: existing, added: null);
            return true;
        }
    }

    public long ApproximateBytes
    {
        get
        {
            using var scope = Enter();
            return Property("rocksdb.estimate-live-data-size") + Property("rocksdb.cur-size-all-mem-tables");
        }
    }

    private long Property(string name) =>
        long.TryParse(_engine.Database.GetProperty(name, _family), out var value) ? value : 0;

    public long CountLive(long nowMs)
    {
        using var scope = Enter();
        var count = _live.Persistent;
        if (_live.Expiring == 0)
        {
            return count;
        }

        return count + CountLiveExpiring(_directory.Headers(), nowMs);
    }

    private static long CountLiveExpiring(IEnumerable<RecordHeader> headers, long nowMs)
    {
        var count = 0L;
        foreach (var header in headers)
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
        return count + CountLiveExpiring(_directory.Headers(slot), nowMs);
    }

    public IEnumerable<KeyValuePair<byte[], StoredRecord>> ScanSlot(int slot, byte[]? after = null)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        ObjectDisposedException.ThrowIf(_disposed || _engine.Gate.IsClosed, this);
        return _directory.MayHaveRecords(slot) ? ScanInBatches(slot, StartKey(slot, after)) : [];
    }

    /// <remarks>
    /// Holds every stripe while it uncounts the slot's headers and writes one range tombstone, so a concurrent Apply
    /// lands wholly before (and is removed and uncounted) or after (and is kept). Costs a walk of the slot's directory
    /// and a single write, however many records it removes; writers wait for that one slot only.
    /// </remarks>
    public int DropSlot(int slot)
    {
        StorageSlots.ThrowIfOutOfRange(slot);
        using var scope = Enter();
        if (!_directory.MayHaveRecords(slot))
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
            foreach (var header in _directory.Headers(slot))
            {
                _live.Account(slot, removed: header, added: null);
                removed++;
            }
            // Every stored record, tombstones included, is in the directory: none counted means none stored.
            if (removed > 0)
            {
                using var batch = new WriteBatch();
                batch.DeleteRange(start, (ulong)start.Length, end, (ulong)end.Length, _family);
                _engine.Database.Write(batch, _engine.WriteOptions);
            }
            _directory.DropSlot(slot);
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
            _directory.Clear();
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

    /// <summary>Decodes a stored value; a record that does not decode is reported as corruption, naming the key.</summary>
    private StoredRecord Decode(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> storedKey)
    {
        try
        {
            return RecordCodec.Decode(encoded);
        }
        catch (FormatException ex)
        {
            throw new StorageException(
                $"The record of key {Convert.ToHexString(storedKey)} (slot prefix included) in '{_engine.DataDirectory}' " +
                $"is corrupt: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Fills the directory and the live counts from every stored header: one sequential scan, reading each record's
    /// header only (the value bytes are skipped, so the whole record need not decode).
    /// </summary>
    private void LoadDirectory()
    {
        using var iterator = _engine.NewIterator(_family, new ReadOptions().SetFillCache(false), "read the records");
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            var storedKey = iterator.GetKeySpan();
            if (storedKey.Length < RecordKeys.PrefixLength)
            {
                throw new StorageException(
                    $"The record key {Convert.ToHexString(storedKey)} in '{_engine.DataDirectory}' is corrupt: it has no slot prefix.");
            }
            var encoded = iterator.GetValueSpan();
            var header = RecordHeader.Of(Decode(encoded.Length > RecordCodec.HeaderLength ? encoded[..RecordCodec.HeaderLength] : encoded, storedKey));
            var slot = RecordKeys.SlotOf(storedKey);
            _directory.Set(slot, RecordKeys.UserKey(storedKey), header);
            _live.Account(slot, removed: null, added: header);
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

            var record = Decode(iterator.GetValueSpan(), storedKey);
            batch.Add(new KeyValuePair<byte[], StoredRecord>(RecordKeys.UserKey(storedKey).ToArray(), record));
        }

        _engine.ThrowIfIteratorFailed(iterator, "read the records");
        return batch;
    }
}
