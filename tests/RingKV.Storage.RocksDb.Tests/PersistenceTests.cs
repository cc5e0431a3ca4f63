using System.Text;
using RingKV.Storage.Versioning;

namespace RingKV.Storage.RocksDb.Tests;

/// <summary>What survives <see cref="RocksDbEngine.Dispose"/> and a reopen of the same directory.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly TestEngines _engines = new();

    [Theory]
    [InlineData(FsyncPolicy.Always)]
    [InlineData(FsyncPolicy.EverySecond)]
    [InlineData(FsyncPolicy.No)]
    public void Records_SurviveReopen_WithVersionsTombstonesAndExpiry(FsyncPolicy fsync)
    {
        var directory = _engines.NewDirectory();
        var options = new RocksDbEngineOptions { Fsync = fsync };
        using (var engine = _engines.OpenAt(directory, options))
        {
            engine.Store.Apply(0, Key("plain"), StoredRecord.ForValue(new RecordVersion(10, 2), Key("v1")));
            engine.Store.Apply(0, Key("plain"), StoredRecord.ForValue(new RecordVersion(11, 3), Key("v2")));
            engine.Store.Apply(5, Key("expiring"), StoredRecord.ForValue(new RecordVersion(12, 1), Key("e"), expiresAtMs: 5000));
            engine.Store.Apply(StorageSlots.Count - 1, [0, 0xFF, 0], StoredRecord.ForValue(new RecordVersion(13, 1), [1, 0, 2]));
            engine.Store.Apply(7, Key("deleted"), StoredRecord.ForValue(new RecordVersion(14, 1), Key("gone")));
            engine.Store.Apply(7, Key("deleted"), StoredRecord.Tombstone(new RecordVersion(15, 1)));
            engine.Store.Apply(8, Key("purged"), StoredRecord.Tombstone(new RecordVersion(16, 1)));
            engine.Store.RemoveIfVersion(8, Key("purged"), new RecordVersion(16, 1));
        }

        using var reopened = _engines.OpenAt(directory, options);
        var store = reopened.Store;

        Assert.True(store.TryGet(0, Key("plain"), out var plain));
        Assert.Equal(new RecordVersion(11, 3), plain.Version);
        Assert.Equal(Key("v2"), plain.Value);
        Assert.True(store.TryGet(5, Key("expiring"), out var expiring));
        Assert.Equal(5000, expiring.ExpiresAtMs);
        Assert.True(store.TryGet(StorageSlots.Count - 1, [0, 0xFF, 0], out var binary));
        Assert.Equal([1, 0, 2], binary.Value);
        Assert.True(store.TryGet(7, Key("deleted"), out var deleted));
        Assert.True(deleted.IsTombstone);
        Assert.Equal(new RecordVersion(15, 1), deleted.Version);
        Assert.False(store.TryGet(8, Key("purged"), out _));
        // The in-memory key directory is rebuilt from disk too: versions, tombstones and expiry.
        Assert.True(store.TryGetHeader(7, Key("deleted"), out var deletedHeader));
        Assert.Equal(new RecordHeader(new RecordVersion(15, 1), RecordFlags.Tombstone, 0), deletedHeader);
        Assert.True(store.TryGetHeader(5, Key("expiring"), out var expiringHeader));
        Assert.Equal(5000, expiringHeader.ExpiresAtMs);
        Assert.False(store.TryGetHeader(8, Key("purged"), out _));
        Assert.Equal(ApplyResult.Stale, store.Apply(0, Key("plain"), StoredRecord.ForValue(new RecordVersion(11, 2), Key("old"))));

        // The live counters are rebuilt from disk: 3 live at 0, 2 once the expiring one has expired.
        Assert.Equal(3, store.CountLive(0));
        Assert.Equal(2, store.CountLive(5000));
    }

    [Fact]
    public void Clear_SurvivesReopen()
    {
        var directory = _engines.NewDirectory();
        using (var engine = _engines.OpenAt(directory))
        {
            engine.Store.Apply(1, Key("a"), StoredRecord.ForValue(new RecordVersion(1, 1), Key("v")));
            engine.Store.Clear();
            engine.Store.Apply(2, Key("b"), StoredRecord.ForValue(new RecordVersion(1, 1), Key("v")));
        }

        using var reopened = _engines.OpenAt(directory);

        Assert.False(reopened.Store.TryGet(1, Key("a"), out _));
        Assert.True(reopened.Store.TryGet(2, Key("b"), out _));
        Assert.Equal(1, reopened.Store.CountLive(0));
    }

    [Fact]
    public void Hints_SurviveReopen_AndSequencesContinue()
    {
        var directory = _engines.NewDirectory();
        long lastSequence;
        using (var engine = _engines.OpenAt(directory))
        {
            engine.Hints.Append("b", 3, Key("k1"), StoredRecord.ForValue(new RecordVersion(1, 1), Key("v1"), 777), nowMs: 100);
            engine.Hints.Append("b", 4, Key("k2"), StoredRecord.Tombstone(new RecordVersion(2, 1)), nowMs: 200);
            engine.Hints.Append("c", 5, Key("k3"), StoredRecord.ForValue(new RecordVersion(3, 1), Key("v3")), nowMs: 300);
            lastSequence = engine.Hints.ReadOldest("c", 1)[0].Sequence;
        }

        using var reopened = _engines.OpenAt(directory);
        var hints = reopened.Hints;

        var forB = hints.ReadOldest("b", 10);
        Assert.Equal([Key("k1"), Key("k2")], forB.Select(h => h.Key));
        Assert.Equal([3, 4], forB.Select(h => h.Slot));
        Assert.Equal([100L, 200L], forB.Select(h => h.CreatedAtMs));
        Assert.Equal(777, forB[0].Record.ExpiresAtMs);
        Assert.True(forB[1].Record.IsTombstone);
        Assert.Equal(2, hints.Count("b"));
        Assert.Equal(1, hints.Count("c"));
        Assert.Equal(["b", "c"], hints.Targets().Order(StringComparer.Ordinal));

        hints.Append("b", 6, Key("k4"), StoredRecord.ForValue(new RecordVersion(4, 1), Key("v4")), nowMs: 400);
        Assert.True(hints.ReadOldest("b", 10)[^1].Sequence > lastSequence);
    }

    [Fact]
    public void HintSequences_ContinueAcrossReopen_EvenWhenEveryHintWasRemoved()
    {
        var directory = _engines.NewDirectory();
        long removed;
        using (var engine = _engines.OpenAt(directory))
        {
            engine.Hints.Append("b", 0, Key("k"), StoredRecord.Tombstone(new RecordVersion(1, 1)), nowMs: 0);
            removed = engine.Hints.ReadOldest("b", 1)[0].Sequence;
            engine.Hints.Remove("b", removed);
        }

        using var reopened = _engines.OpenAt(directory);
        Assert.Empty(reopened.Hints.Targets());

        reopened.Hints.Append("b", 0, Key("k"), StoredRecord.Tombstone(new RecordVersion(2, 1)), nowMs: 0);

        Assert.True(reopened.Hints.ReadOldest("b", 1)[0].Sequence > removed);
    }

    [Fact]
    public void EverySecond_SyncsTheLogInTheBackground()
    {
        using var engine = _engines.Open(new RocksDbEngineOptions { Fsync = FsyncPolicy.EverySecond });
        engine.Store.Apply(0, Key("k"), StoredRecord.ForValue(new RecordVersion(1, 1), Key("v")));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (engine.WalSyncCount < 2 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.True(engine.WalSyncCount >= 2, $"only {engine.WalSyncCount} background syncs in 30 s");
    }

    [Fact]
    public void SyncWal_OnDemand_Succeeds_AndFailsAfterDispose()
    {
        var engine = _engines.Open(new RocksDbEngineOptions { Fsync = FsyncPolicy.No });
        engine.Store.Apply(0, Key("k"), StoredRecord.ForValue(new RecordVersion(1, 1), Key("v")));

        engine.SyncWal();
        engine.Dispose();

        Assert.Throws<ObjectDisposedException>(engine.SyncWal);
        Assert.Throws<ObjectDisposedException>(() => engine.Store.TryGet(0, Key("k"), out _));
        Assert.Throws<ObjectDisposedException>(() => engine.Hints.Count("b"));
    }

    [Fact]
    public void DisposingAView_LeavesTheEngineAndTheOtherViewOpen()
    {
        using var engine = _engines.Open();
        engine.Store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => engine.Store.CountLive(0));
        engine.Hints.Append("b", 0, Key("k"), StoredRecord.Tombstone(new RecordVersion(1, 1)), nowMs: 0);
        Assert.Equal(1, engine.Hints.Count("b"));
    }

    public void Dispose() => _engines.Dispose();

    private static byte[] Key(string text) => Encoding.UTF8.GetBytes(text);
}
