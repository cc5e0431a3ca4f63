using System.Buffers.Binary;
using System.Collections.Concurrent;
using RingKV.Storage.Hints;
using RocksDbSharp;

namespace RingKV.Storage.RocksDb;

/// <summary>
/// The hinted-handoff queues of a <see cref="RocksDbEngine"/>, in its <c>hints</c> column family and as durable as
/// its records (same write-ahead log, same <see cref="FsyncPolicy"/>). Layout: <see cref="HintLayout"/>. Obtain it
/// from <see cref="RocksDbEngine.Hints"/>.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe beyond what <see cref="IHintStore"/> requires: any calls may run concurrently. Sequences are unique
/// and increasing per store, across restarts: they are handed out from blocks of 1024 whose ceiling is written before
/// the first of them is used, so a reopened store starts above anything it handed out before, even when every hint
/// was delivered and removed. Hints appended concurrently reach the disk in any order, so a reader may briefly see
/// sequence n + 1 before n; delivery is idempotent, so order within a target is a preference, not a promise.
/// </para>
/// <para>
/// Costs: <see cref="Append"/> and <see cref="Remove"/> are one write each (<see cref="Remove"/> one read more);
/// <see cref="ReadOldest"/> is a range scan of at most <c>max</c> entries; <see cref="Count"/> and
/// <see cref="Targets"/> are answered from in-memory counters rebuilt by one scan of all hints when the engine opens.
/// </para>
/// <para>
/// Errors: a RocksDB failure or a hint that does not decode throws <see cref="StorageException"/>; a target id that
/// is empty or contains a zero character throws <see cref="ArgumentException"/>, a slot out of range
/// <see cref="ArgumentOutOfRangeException"/>, and any call after dispose <see cref="ObjectDisposedException"/>.
/// </para>
/// </remarks>
public sealed class RocksDbHintStore : IHintStore
{
    private const long SequenceBlock = 1024;

    private readonly RocksDbEngine _engine;
    private readonly ColumnFamilyHandle _family;
    private readonly StripedLocks _removeLocks = new(64);
    private readonly Lock _sequenceLock = new();

    // Hints per target, adjusted after each write. A Remove that overtakes the count increment of its Append can make
    // a count briefly negative; readers clamp, and entries are dropped when they come back to exactly zero.
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _lastSequence;
    private long _sequenceCeiling;
    private volatile bool _disposed;

    internal RocksDbHintStore(RocksDbEngine engine, ColumnFamilyHandle family)
    {
        _engine = engine;
        _family = family;
        LoadCountersAndSequence();
    }

    public void Append(string targetNodeId, int slot, ReadOnlySpan<byte> key, StoredRecord record, long nowMs)
    {
        HintLayout.ValidateTarget(targetNodeId);
        StorageSlots.ThrowIfOutOfRange(slot);
        ArgumentNullException.ThrowIfNull(record);
        var value = HintLayout.EncodeValue(slot, key, record, nowMs);
        using var scope = Enter();
        _engine.ThrowIfWritesRefused();
        var hintKey = HintLayout.Key(targetNodeId, NextSequence());
        Put(hintKey, value, "store a hint");
        AdjustCount(targetNodeId, +1);
    }

    public IReadOnlyList<Hint> ReadOldest(string targetNodeId, int max)
    {
        HintLayout.ValidateTarget(targetNodeId);
        using var scope = Enter();
        if (max <= 0)
        {
            return [];
        }

        var readOptions = new ReadOptions()
            .SetIterateLowerBound(HintLayout.RangeStart(targetNodeId))
            .SetIterateUpperBound(HintLayout.RangeEnd(targetNodeId));
        var hints = new List<Hint>(Math.Min(max, 256));
        using var iterator = _engine.NewIterator(_family, readOptions, "read hints");
        for (iterator.SeekToFirst(); iterator.Valid() && hints.Count < max; iterator.Next())
        {
            hints.Add(Decode(iterator.GetKeySpan(), iterator.GetValueSpan()));
        }

        _engine.ThrowIfIteratorFailed(iterator, "read hints");
        return hints;
    }

    public void Remove(string targetNodeId, long sequence)
    {
        HintLayout.ValidateTarget(targetNodeId);
        using var scope = Enter();
        _engine.ThrowIfWritesRefused();
        var hintKey = HintLayout.Key(targetNodeId, sequence);

        // Read-then-delete under the key's stripe, so two removes of one hint count it once.
        lock (_removeLocks.For(hintKey))
        {
            try
            {
                if (_engine.Database.Get(hintKey, _family) is null)
                {
                    return;
                }

                _engine.Database.Remove(hintKey, _family, _engine.WriteOptions);
            }
            catch (RocksDbSharpException ex)
            {
                throw _engine.Failure("remove a hint", ex);
            }

            AdjustCount(targetNodeId, -1);
        }
    }

    public long Count(string targetNodeId)
    {
        using var scope = Enter();
        return _counts.TryGetValue(targetNodeId, out var count) ? Math.Max(count, 0) : 0;
    }

    public IReadOnlyCollection<string> Targets()
    {
        using var scope = Enter();
        return [.. _counts.Where(entry => entry.Value > 0).Select(entry => entry.Key)];
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

    private long NextSequence()
    {
        lock (_sequenceLock)
        {
            if (_lastSequence == _sequenceCeiling)
            {
                // Written before any sequence of the new block is used, and the log replays in order: a hint that
                // survives a crash is always preceded by the ceiling that covers it.
                var ceiling = _sequenceCeiling + SequenceBlock;
                var encoded = new byte[sizeof(long)];
                BinaryPrimitives.WriteInt64BigEndian(encoded, ceiling);
                Put(HintLayout.SequenceCeilingKey, encoded, "reserve hint sequences");
                _sequenceCeiling = ceiling;
            }

            return ++_lastSequence;
        }
    }

    private void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, string operation)
    {
        try
        {
            _engine.Database.Put(key, value, _family, _engine.WriteOptions);
        }
        catch (RocksDbSharpException ex)
        {
            throw _engine.Failure(operation, ex);
        }
    }

    private void AdjustCount(string targetNodeId, long delta)
    {
        var count = _counts.AddOrUpdate(targetNodeId, delta, (_, current) => current + delta);
        if (count == 0)
        {
            // Removes the entry only if it still holds zero: a concurrent Append may have raised it meanwhile.
            _counts.TryRemove(new KeyValuePair<string, long>(targetNodeId, 0));
        }
    }

    private Hint Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        try
        {
            var (_, sequence) = HintLayout.ParseKey(key);
            return HintLayout.DecodeValue(sequence, value);
        }
        catch (FormatException ex)
        {
            throw new StorageException($"A hint in '{_engine.DataDirectory}' is corrupt: {ex.Message}", ex);
        }
    }

    private void LoadCountersAndSequence()
    {
        var readOptions = new ReadOptions().SetFillCache(false);
        using var iterator = _engine.NewIterator(_family, readOptions, "read hints");
        long highest = 0;
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!HintLayout.IsHintKey(key))
            {
                if (key.SequenceEqual(HintLayout.SequenceCeilingKey) && iterator.GetValueSpan().Length == sizeof(long))
                {
                    highest = Math.Max(highest, BinaryPrimitives.ReadInt64BigEndian(iterator.GetValueSpan()));
                }

                continue;
            }

            try
            {
                var (target, sequence) = HintLayout.ParseKey(key);
                _counts.AddOrUpdate(target, 1, (_, count) => count + 1);
                highest = Math.Max(highest, sequence);
            }
            catch (FormatException ex)
            {
                throw new StorageException($"A hint in '{_engine.DataDirectory}' is corrupt: {ex.Message}", ex);
            }
        }

        _engine.ThrowIfIteratorFailed(iterator, "read hints");

        // Skipping the unused rest of the last reserved block keeps sequences increasing across restarts.
        _lastSequence = _sequenceCeiling = highest;
    }
}
