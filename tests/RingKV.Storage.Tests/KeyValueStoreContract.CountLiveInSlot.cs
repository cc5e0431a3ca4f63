
namespace RingKV.Storage.Tests;

/// <summary><see cref="IKeyValueStore.CountLiveInSlot"/> on each engine: the per-slot counts DBSIZE sums.</summary>
public abstract partial class KeyValueStoreContract
{
    [Fact]
    public void CountLiveInSlot_CountsLiveValuesOfThatSlotOnly()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("value"), Value(1));
        store.Apply(Slot, Key("deleted"), StoredRecord.Tombstone(V(1)));
        store.Apply(Slot, Key("expired"), Value(1, expiresAtMs: 1));
        store.Apply(Slot, Key("expiring"), Value(1, expiresAtMs: 10_000));
        store.Apply(Slot + 1, Key("value"), Value(1));

        Assert.Equal(2, store.CountLiveInSlot(Slot, 5_000));
        Assert.Equal(1, store.CountLiveInSlot(Slot, 20_000));
        Assert.Equal(1, store.CountLiveInSlot(Slot + 1, 5_000));
        Assert.Equal(0, store.CountLiveInSlot(Slot - 1, 5_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.CountLiveInSlot(StorageSlots.Count, 0));
    }

    [Fact]
    public void CountLiveInSlot_FollowsOverwritesDeletesDropsAndClear()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("a"), Value(1));
        store.Apply(Slot, Key("b"), Value(1));
        store.Apply(Slot, Key("a"), Value(2, expiresAtMs: 10_000)); // persistent becomes expiring
        store.Apply(Slot, Key("b"), StoredRecord.Tombstone(V(2)));
        Assert.Equal(1, store.CountLiveInSlot(Slot, 5_000));

        store.Apply(Slot + 1, Key("c"), Value(1));
        Assert.Equal(1, store.DropSlot(Slot + 1));
        Assert.Equal(0, store.CountLiveInSlot(Slot + 1, 0));

        store.Clear();
        Assert.Equal(0, store.CountLiveInSlot(Slot, 5_000));
    }
}
