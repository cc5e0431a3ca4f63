using System.Diagnostics.CodeAnalysis;
using RingKV.Storage.Maintenance;
using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests;

/// <summary><see cref="SlotMaintenance.DropSlot"/> on each engine: it relies on the scan and compare-and-delete.</summary>
public abstract partial class KeyValueStoreContract
{
    [Fact]
    public void DropSlot_RemovesEveryRecordOfTheSlotAndNothingElse()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("value"), Value(1));
        store.Apply(Slot, Key("deleted"), StoredRecord.Tombstone(V(1)));
        store.Apply(Slot, Key("expired"), Value(1, expiresAtMs: 1));
        store.Apply(Slot, Key("expiring"), Value(1, expiresAtMs: 10_000));
        // More than one RocksDB scan batch (256), so records are removed while the scan is between batches.
        for (var i = 0; i < 300; i++)
        {
            store.Apply(Slot, Key($"k{i}"), Value((ulong)i + 1));
        }

        store.Apply(Slot - 1, Key("value"), Value(1));
        store.Apply(Slot + 1, Key("value"), Value(1));
        store.Apply(Slot + 1, Key("expiring"), Value(1, expiresAtMs: 10_000));
        Assert.Equal(302 + 3, store.CountLive(5_000));

        Assert.Equal(304, SlotMaintenance.DropSlot(store, Slot));

        Assert.Empty(store.ScanSlot(Slot));
        Assert.Equal(3, store.CountLive(5_000));
        Assert.Equal(2, store.CountLive(20_000));
        Assert.True(store.TryGet(Slot - 1, Key("value"), out _));
        Assert.True(store.TryGet(Slot + 1, Key("value"), out _));
        Assert.True(store.TryGet(Slot + 1, Key("expiring"), out _));
    }

    [Fact]
    public void DropSlot_EmptySlot_ReturnsZero()
    {
        using var store = CreateStore();
        store.Apply(Slot + 1, Key("k"), Value(1));

        Assert.Equal(0, SlotMaintenance.DropSlot(store, Slot));
        Assert.Equal(0, SlotMaintenance.DropSlot(store, 0));
        Assert.Equal(1, store.CountLive(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlotMaintenance.DropSlot(store, StorageSlots.Count));
    }

    [Fact]
    public void DropSlot_RecordRewrittenDuringTheDrop_SurvivesUntilTheNextDrop()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("a"), Value(1));
        store.Apply(Slot, Key("raced"), Value(1, "old"));
        store.Apply(Slot, Key("z"), Value(1));
        store.Apply(Slot + 1, Key("raced"), Value(1));
        // The rewrite lands after the scan returned the old record and before its compare-and-delete: the window a
        // late replica write or hint has while a node drops a slot it handed off.
        var racing = new WriteBeforeRemove(store, (inner, slot, key) =>
        {
            if (slot == Slot && Text(key) == "raced")
            {
                inner.Apply(slot, key, Value(2, "newer"));
            }
        });

        Assert.Equal(2, SlotMaintenance.DropSlot(racing, Slot));

        var survivor = Get(store, "raced");
        Assert.Equal(V(2), survivor.Version);
        Assert.Equal("newer"u8.ToArray(), survivor.Value);
        Assert.Equal(["raced"], store.ScanSlot(Slot).Select(e => Text(e.Key)));
        Assert.Equal(2, store.CountLive(0));

        Assert.Equal(1, SlotMaintenance.DropSlot(store, Slot));
        Assert.Empty(store.ScanSlot(Slot));
        Assert.Equal(1, store.CountLive(0));
    }

    /// <summary>Forwards to a store, running a callback just before each <see cref="RemoveIfVersion"/>.</summary>
    private sealed class WriteBeforeRemove(IKeyValueStore inner, Action<IKeyValueStore, int, byte[]> beforeRemove)
        : IKeyValueStore
    {
        public bool TryGet(int slot, ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out StoredRecord record) =>
            inner.TryGet(slot, key, out record);

        public ApplyResult Apply(int slot, ReadOnlySpan<byte> key, StoredRecord record) => inner.Apply(slot, key, record);

        public bool RemoveIfVersion(int slot, ReadOnlySpan<byte> key, RecordVersion version)
        {
            beforeRemove(inner, slot, key.ToArray());
            return inner.RemoveIfVersion(slot, key, version);
        }

        public long CountLive(long nowMs) => inner.CountLive(nowMs);

        public IEnumerable<KeyValuePair<byte[], StoredRecord>> ScanSlot(int slot, byte[]? after = null) =>
            inner.ScanSlot(slot, after);

        public void Clear() => inner.Clear();

        public void Dispose() => inner.Dispose();
    }
}
