using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests;

/// <summary><see cref="IKeyValueStore.TryGetHeader"/>: always the header of exactly what TryGet would return.</summary>
public abstract partial class KeyValueStoreContract
{
    [Fact]
    public void TryGetHeader_TracksEveryWrite()
    {
        using var store = CreateStore();
        Assert.False(store.TryGetHeader(Slot, Key("k"), out _));

        store.Apply(Slot, Key("k"), Value(1, "a", expiresAtMs: 9000));
        Assert.True(store.TryGetHeader(Slot, Key("k"), out var first));
        Assert.Equal(new RecordHeader(V(1), RecordFlags.None, 9000), first);

        store.Apply(Slot, Key("k"), Value(3, "b"));
        store.Apply(Slot, Key("k"), Value(2, "stale", expiresAtMs: 100));
        Assert.True(store.TryGetHeader(Slot, Key("k"), out var newest));
        Assert.Equal(new RecordHeader(V(3), RecordFlags.None, 0), newest);

        store.Apply(Slot, Key("k"), StoredRecord.Tombstone(V(4)));
        Assert.True(store.TryGetHeader(Slot, Key("k"), out var tombstone));
        Assert.True(tombstone.IsTombstone);
        Assert.Equal(V(4), tombstone.Version);

        Assert.True(store.RemoveIfVersion(Slot, Key("k"), V(4)));
        Assert.False(store.TryGetHeader(Slot, Key("k"), out _));
        Assert.False(store.TryGet(Slot, Key("k"), out _));
    }

    [Fact]
    public void TryGetHeader_AfterDropSlotAndClear_FindsNothing()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("dropped"), Value(1));
        store.Apply(Slot + 1, Key("kept"), Value(1));

        store.DropSlot(Slot);
        Assert.False(store.TryGetHeader(Slot, Key("dropped"), out _));
        Assert.True(store.TryGetHeader(Slot + 1, Key("kept"), out _));

        // A slot dropped and written again starts afresh: an older version than the dropped one is applied.
        Assert.Equal(ApplyResult.Applied, store.Apply(Slot, Key("dropped"), Value(0, "again")));
        Assert.True(store.TryGetHeader(Slot, Key("dropped"), out var again));
        Assert.Equal(new RecordVersion(0, 1), again.Version);

        store.Clear();
        Assert.False(store.TryGetHeader(Slot, Key("dropped"), out _));
        Assert.False(store.TryGetHeader(Slot + 1, Key("kept"), out _));
        Assert.Equal(0, store.CountLive(0));
    }

    [Fact]
    public void TryGetHeader_SameKeyInDifferentSlots_AreSeparate()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("k"), Value(5));

        Assert.False(store.TryGetHeader(Slot + 1, Key("k"), out _));
        Assert.Equal(ApplyResult.Applied, store.Apply(Slot + 1, Key("k"), Value(1)));
        Assert.True(store.TryGetHeader(Slot, Key("k"), out var first));
        Assert.Equal(V(5), first.Version);
    }
}
