namespace RingKV.Storage;

/// <summary>
/// Counts an engine's stored values without and with an expiry (tombstones count in neither), in total and per slot,
/// so DBSIZE and a slot's key count are O(1) while no value expires. Engines call <see cref="Account(int, RecordHeader?, RecordHeader?)"/> after each
/// successful insert, replace or removal with exactly the record it added and the one it displaced: the counts are
/// exact whenever writes are quiescent and at worst momentarily off by the writes in flight. Thread-safe.
/// </summary>
/// <remarks>Costs two longs per slot (256 KiB per engine), a price paid once for O(1) cluster-wide DBSIZE.</remarks>
public sealed class LiveValueCounter
{
    private readonly long[] _persistentBySlot = new long[StorageSlots.Count];
    private readonly long[] _expiringBySlot = new long[StorageSlots.Count];
    private long _persistent;
    private long _expiring;
    private long _valueBytes;

    /// <summary>Values without an expiry: always live.</summary>
    public long Persistent => Volatile.Read(ref _persistent);

    /// <summary>Values with an expiry: live or not depending on the time, so counting them needs a scan.</summary>
    public long Expiring => Volatile.Read(ref _expiring);

    /// <summary>Bytes of the stored values, tombstones' and expired ones' included (only engines that account whole records).</summary>
    public long ValueBytes => Volatile.Read(ref _valueBytes);

    public long PersistentIn(int slot) => Volatile.Read(ref _persistentBySlot[slot]);

    public long ExpiringIn(int slot) => Volatile.Read(ref _expiringBySlot[slot]);

    public void Account(int slot, StoredRecord? removed, StoredRecord? added)
    {
        Account(slot, removed is null ? null : RecordHeader.Of(removed), added is null ? null : RecordHeader.Of(added));
        var bytes = (added?.Value.Length ?? 0) - (removed?.Value.Length ?? 0);
        if (bytes != 0)
        {
            Interlocked.Add(ref _valueBytes, bytes);
        }
    }

    /// <summary>Accounts a write that added <paramref name="added"/> and displaced <paramref name="removed"/> (null: none).</summary>
    public void Account(int slot, RecordHeader? removed, RecordHeader? added)
    {
        var persistent = IsPersistentValue(added) - IsPersistentValue(removed);
        if (persistent != 0)
        {
            Interlocked.Add(ref _persistent, persistent);
            Interlocked.Add(ref _persistentBySlot[slot], persistent);
        }
        var expiring = IsExpiringValue(added) - IsExpiringValue(removed);
        if (expiring != 0)
        {
            Interlocked.Add(ref _expiring, expiring);
            Interlocked.Add(ref _expiringBySlot[slot], expiring);
        }
    }

    public void Reset()
    {
        Volatile.Write(ref _persistent, 0);
        Volatile.Write(ref _expiring, 0);
        Volatile.Write(ref _valueBytes, 0);
        Array.Clear(_persistentBySlot);
        Array.Clear(_expiringBySlot);
    }

    private static int IsPersistentValue(RecordHeader? record) => record is { IsTombstone: false, ExpiresAtMs: 0 } ? 1 : 0;

    private static int IsExpiringValue(RecordHeader? record) => record is { IsTombstone: false, ExpiresAtMs: > 0 } ? 1 : 0;
}
