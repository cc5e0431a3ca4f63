using RingKV.Storage.Versioning;

namespace RingKV.Storage.Maintenance;

/// <summary>
/// Removes tombstones and expired records from an <see cref="IKeyValueStore"/> once their grace period is over,
/// a few slots at a time in the background so requests never wait for it.
/// </summary>
/// <remarks>
/// Why a grace period, even for expired records: a replica that missed the delete or the expiring write may still
/// hold an older live version. Until hints or repair bring it the newer record, the tombstone (or expired record)
/// elsewhere is what makes reads prefer "gone" over that older value; purging it early would resurrect the key.
/// The grace period must therefore exceed the hint window (and, later, the anti-entropy period); Cassandra's
/// gc_grace_seconds is the same idea. Purging uses compare-and-delete, so a write that lands meanwhile survives.
/// </remarks>
public sealed class RecordPurger : IAsyncDisposable
{
    private readonly IKeyValueStore _store;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private long _purged;

    public RecordPurger(IKeyValueStore store, TimeSpan gracePeriod, TimeProvider? time = null)
    {
        _store = store;
        GracePeriod = gracePeriod;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan GracePeriod { get; }

    /// <summary>Slots examined per tick; with the default period a full pass over 16384 slots takes about 25 s.</summary>
    public int SlotsPerTick { get; init; } = 64;

    public TimeSpan TickPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Records removed since start.</summary>
    public long Purged => Interlocked.Read(ref _purged);

    public void Start() => _loop = RunAsync();

    /// <summary>Examines one slot now; returns how many records it removed. Safe to call concurrently with writes.</summary>
    public int PurgeSlot(int slot)
    {
        var cutoff = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)GracePeriod.TotalMilliseconds;
        var removed = 0;
        foreach (var (key, record) in _store.ScanSlot(slot))
        {
            if (IsPurgeable(record, cutoff) && _store.RemoveIfVersion(slot, key, record.Version))
            {
                removed++;
            }
        }
        Interlocked.Add(ref _purged, removed);
        return removed;
    }

    /// <summary>A tombstone written, or a value that expired, before <paramref name="cutoffMs"/>.</summary>
    public static bool IsPurgeable(StoredRecord record, long cutoffMs) =>
        record.IsTombstone
            ? HybridLogicalClock.PhysicalMs(record.Version.Timestamp) < cutoffMs
            : record.ExpiresAtMs != 0 && record.ExpiresAtMs < cutoffMs;

    private async Task RunAsync()
    {
        var slot = 0;
        using var timer = new PeriodicTimer(TickPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                for (var i = 0; i < SlotsPerTick; i++, slot = (slot + 1) % StorageSlots.Count)
                {
                    PurgeSlot(slot);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The store closed under us during shutdown.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        _stopping.Dispose();
    }
}
