using System.Collections.Concurrent;
using System.Text;
using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests;

/// <summary>The contract of <see cref="IKeyValueStore.RemoveIfVersion"/> (compare-and-delete).</summary>
public abstract partial class KeyValueStoreContract
{
    [Fact]
    public void RemoveIfVersion_ExactVersion_RemovesTheRecord()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("value"), Value(3, expiresAtMs: 5000));
        store.Apply(Slot, Key("deleted"), StoredRecord.Tombstone(V(4)));
        store.Apply(Slot, Key("kept"), Value(1));
        Assert.Equal(2, store.CountLive(0));

        Assert.True(store.RemoveIfVersion(Slot, Key("value"), V(3)));
        Assert.True(store.RemoveIfVersion(Slot, Key("deleted"), V(4)));

        Assert.False(store.TryGet(Slot, Key("value"), out _));
        Assert.False(store.TryGet(Slot, Key("deleted"), out _));
        Assert.Equal(1, store.CountLive(0));
        Assert.Equal(["kept"], store.ScanSlot(Slot).Select(e => Encoding.UTF8.GetString(e.Key)));
        Assert.False(store.RemoveIfVersion(Slot, Key("value"), V(3)));
    }

    [Fact]
    public void RemoveIfVersion_OtherVersion_KeepsTheRecord()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("k"), Value(5, "five"));

        Assert.False(store.RemoveIfVersion(Slot, Key("k"), V(4)));
        Assert.False(store.RemoveIfVersion(Slot, Key("k"), V(6)));
        Assert.False(store.RemoveIfVersion(Slot, Key("k"), V(5, nodeTag: 2)));
        Assert.False(store.RemoveIfVersion(Slot + 1, Key("k"), V(5)));

        Assert.Equal("five"u8.ToArray(), Get(store, "k").Value);
        Assert.Equal(1, store.CountLive(0));
    }

    [Fact]
    public void RemoveIfVersion_MissingKey_ReturnsFalse()
    {
        using var store = CreateStore();

        Assert.False(store.RemoveIfVersion(Slot, Key("absent"), V(1)));
        Assert.False(store.RemoveIfVersion(Slot, Key("absent"), RecordVersion.Zero));
        Assert.Equal(0, store.CountLive(0));
    }

    [Fact]
    public void RemoveIfVersion_ThenOlderApply_IsAppliedBecauseTheKeyIsGone()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("k"), StoredRecord.Tombstone(V(9)));
        store.RemoveIfVersion(Slot, Key("k"), V(9));

        Assert.Equal(ApplyResult.Applied, store.Apply(Slot, Key("k"), Value(2, "late")));

        Assert.Equal(V(2), Get(store, "k").Version);
        Assert.Equal(1, store.CountLive(0));
    }

    [Fact]
    public void RemoveIfVersion_RacingWithNewerApplies_NeverRemovesANewerRecord()
    {
        const int Versions = 3_000;
        using var store = CreateStore();
        var removed = new ConcurrentDictionary<RecordVersion, bool>();
        var writerDone = 0;

        // The purger removes whatever version it just read; the writer keeps applying newer ones and reads back. If
        // compare-and-delete were not atomic with Apply, the purger could delete a version it never saw, and the
        // writer would find its fresh write gone although nobody removed that version.
        var purger = new Thread(() =>
        {
            while (Volatile.Read(ref writerDone) == 0)
            {
                if (store.TryGet(Slot, Key("k"), out var seen) && store.RemoveIfVersion(Slot, Key("k"), seen.Version))
                {
                    removed[seen.Version] = true;
                }
            }
        });
        purger.Start();
        var vanished = new List<RecordVersion>();
        for (var ts = 1UL; ts <= Versions; ts++)
        {
            Assert.Equal(ApplyResult.Applied, store.Apply(Slot, Key("k"), Value(ts)));
            if (!store.TryGet(Slot, Key("k"), out var record))
            {
                vanished.Add(V(ts));
            }
            else
            {
                Assert.True(record.Version >= V(ts), $"read {record.Version} after applying {V(ts)}");
            }
        }

        Volatile.Write(ref writerDone, 1);
        purger.Join();

        Assert.All(vanished, version => Assert.True(removed.ContainsKey(version), $"{version} vanished but was never removed"));
    }
}
