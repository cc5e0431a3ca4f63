
namespace RingKV.Storage.Tests;

/// <summary><see cref="IKeyValueStore.DropSlot"/> on each engine.</summary>
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

        Assert.Equal(304, store.DropSlot(Slot));

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

        Assert.Equal(0, store.DropSlot(Slot));
        Assert.Equal(0, store.DropSlot(0));
        Assert.Equal(1, store.CountLive(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.DropSlot(StorageSlots.Count));
    }

    [Fact]
    public void DropSlot_ThenWriteAgain_SlotHoldsOnlyTheNewRecord()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("a"), Value(1));
        store.Apply(Slot, Key("b"), Value(1));

        Assert.Equal(2, store.DropSlot(Slot));
        store.Apply(Slot, Key("b"), Value(2));

        Assert.Equal(["b"], store.ScanSlot(Slot).Select(e => Text(e.Key)));
        Assert.Equal(1, store.CountLive(0));
        Assert.Equal(1, store.DropSlot(Slot));
        Assert.Equal(0, store.CountLive(0));
    }
}
