using RingKV.Storage.InMemory;
using RingKV.Storage.Maintenance;
using RingKV.Storage.Tests.Versioning;
using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests.Maintenance;

public sealed class RecordPurgerTests : IDisposable
{
    private const int Slot = 7;
    private const long Start = 1_700_000_000_000;
    private static readonly TimeSpan s_grace = TimeSpan.FromHours(1);
    private readonly ManualTimeProvider _time = new(Start);
    private readonly InMemoryKeyValueStore _store = new();

    private RecordPurger CreatePurger() => new(_store, s_grace, _time);

    private static RecordVersion VersionAt(long ms) => new(HybridLogicalClock.Pack(ms, 0), 1);

    private bool Has(string key) => _store.TryGet(Slot, System.Text.Encoding.UTF8.GetBytes(key), out _);

    private void Put(string key, StoredRecord record) => _store.Apply(Slot, System.Text.Encoding.UTF8.GetBytes(key), record);

    [Fact]
    public void Tombstone_IsKeptDuringTheGracePeriod_AndPurgedAfter()
    {
        Put("gone", StoredRecord.Tombstone(VersionAt(Start)));
        var purger = CreatePurger();
        _time.UnixMs = Start + (long)s_grace.TotalMilliseconds - 1;
        Assert.Equal(0, purger.PurgeSlot(Slot));
        Assert.True(Has("gone"));
        _time.UnixMs = Start + (long)s_grace.TotalMilliseconds + 1;
        Assert.Equal(1, purger.PurgeSlot(Slot));
        Assert.False(Has("gone"));
        Assert.Equal(1, purger.Purged);
    }

    [Fact]
    public void ExpiredValue_IsKeptForTheGracePeriodAfterItsExpiry()
    {
        Put("ttl", StoredRecord.ForValue(VersionAt(Start), [1], expiresAtMs: Start + 1000));
        var purger = CreatePurger();
        _time.UnixMs = Start + 1000 + (long)s_grace.TotalMilliseconds - 1;
        Assert.Equal(0, purger.PurgeSlot(Slot));
        _time.UnixMs = Start + 1000 + (long)s_grace.TotalMilliseconds + 1;
        Assert.Equal(1, purger.PurgeSlot(Slot));
        Assert.False(Has("ttl"));
    }

    [Fact]
    public void LiveValues_AreNeverPurged()
    {
        Put("plain", StoredRecord.ForValue(VersionAt(Start), [1]));
        Put("future", StoredRecord.ForValue(VersionAt(Start), [2], expiresAtMs: Start + (long)TimeSpan.FromDays(30).TotalMilliseconds));
        _time.UnixMs = Start + (long)TimeSpan.FromDays(10).TotalMilliseconds;
        Assert.Equal(0, CreatePurger().PurgeSlot(Slot));
        Assert.True(Has("plain"));
        Assert.True(Has("future"));
    }

    [Fact]
    public void IsPurgeable_UsesTheTombstoneWriteTime_AndTheValueExpiry()
    {
        var cutoff = Start;
        Assert.True(RecordPurger.IsPurgeable(StoredRecord.Tombstone(VersionAt(Start - 1)), cutoff));
        Assert.False(RecordPurger.IsPurgeable(StoredRecord.Tombstone(VersionAt(Start)), cutoff));
        Assert.True(RecordPurger.IsPurgeable(StoredRecord.ForValue(VersionAt(0), [1], Start - 1), cutoff));
        Assert.False(RecordPurger.IsPurgeable(StoredRecord.ForValue(VersionAt(0), [1], 0), cutoff));
    }

    [Fact]
    public void NewerWriteAfterTheScan_SurvivesThePurge()
    {
        // The purger compares versions when it deletes: a write that replaced the tombstone is not removed.
        Put("k", StoredRecord.Tombstone(VersionAt(Start)));
        _time.UnixMs = Start + (long)s_grace.TotalMilliseconds * 2;
        var key = "k"u8.ToArray();
        _store.TryGet(Slot, key, out var seen);
        Put("k", StoredRecord.ForValue(VersionAt(Start + 5), [9]));
        Assert.False(_store.RemoveIfVersion(Slot, key, seen!.Version));
        Assert.Equal(0, CreatePurger().PurgeSlot(Slot));
        Assert.True(_store.TryGet(Slot, key, out var now) && !now.IsTombstone);
    }

    public void Dispose() => _store.Dispose();
}
