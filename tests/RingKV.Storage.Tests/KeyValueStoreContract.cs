using System.Collections.Concurrent;
using System.Text;
using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests;

/// <summary>
/// What every <see cref="IKeyValueStore"/> engine must do. Derive once per engine; each test creates (and disposes)
/// its own store, so engines that need a directory can make one per call.
/// </summary>
public abstract partial class KeyValueStoreContract
{
    private const int Slot = 1234;

    protected abstract IKeyValueStore CreateStore();

    [Fact]
    public void TryGet_MissingKey_ReturnsFalse()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("present"), Value(1));

        Assert.False(store.TryGet(Slot, Key("absent"), out var record));
        Assert.Null(record);
        Assert.False(store.TryGet(Slot + 1, Key("present"), out _));
    }

    [Fact]
    public void Apply_NewKey_IsReturnedByTryGet()
    {
        using var store = CreateStore();

        Assert.Equal(ApplyResult.Applied, store.Apply(Slot, Key("k"), Value(1, "hello", expiresAtMs: 5000)));

        Assert.True(store.TryGet(Slot, Key("k"), out var record));
        Assert.Equal(V(1), record.Version);
        Assert.Equal("hello"u8.ToArray(), record.Value);
        Assert.Equal(5000, record.ExpiresAtMs);
    }

    [Fact]
    public void Apply_NewerVersion_Overwrites()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("k"), Value(1, "old"));

        Assert.Equal(ApplyResult.Applied, store.Apply(Slot, Key("k"), Value(2, "new")));

        Assert.Equal("new"u8.ToArray(), Get(store, "k").Value);
    }

    [Fact]
    public void Apply_OlderVersion_IsStaleAndIgnored()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("k"), Value(2, "new"));

        Assert.Equal(ApplyResult.Stale, store.Apply(Slot, Key("k"), Value(1, "old")));

        Assert.Equal(V(2), Get(store, "k").Version);
        Assert.Equal("new"u8.ToArray(), Get(store, "k").Value);
    }

    [Fact]
    public void Apply_EqualVersion_IsStale()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("k"), Value(2, "first"));

        Assert.Equal(ApplyResult.Stale, store.Apply(Slot, Key("k"), Value(2, "second")));

        Assert.Equal("first"u8.ToArray(), Get(store, "k").Value);
    }

    [Fact]
    public void Apply_Tombstone_IsStoredAndReturnedByTryGet()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("k"), Value(1));

        Assert.Equal(ApplyResult.Applied, store.Apply(Slot, Key("k"), StoredRecord.Tombstone(V(2))));

        var record = Get(store, "k");
        Assert.True(record.IsTombstone);
        Assert.Equal(V(2), record.Version);
    }

    [Fact]
    public void Apply_OlderValueAfterTombstone_IsStale()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("k"), StoredRecord.Tombstone(V(5)));

        Assert.Equal(ApplyResult.Stale, store.Apply(Slot, Key("k"), Value(4)));
        Assert.Equal(ApplyResult.Applied, store.Apply(Slot, Key("k"), Value(6, "back")));

        Assert.Equal("back"u8.ToArray(), Get(store, "k").Value);
    }

    [Fact]
    public void Apply_CallerReusesKeyBuffer_StoredKeyUnaffected()
    {
        using var store = CreateStore();
        var buffer = Key("abc");
        store.Apply(Slot, buffer, Value(1));

        buffer[0] = (byte)'x';

        Assert.True(store.TryGet(Slot, Key("abc"), out _));
        Assert.False(store.TryGet(Slot, Key("xbc"), out _));
    }

    [Fact]
    public void BinaryKeys_WithZeroBytes_AreDistinct()
    {
        using var store = CreateStore();
        byte[][] keys = [[], [0], [0, 0], [0, 1], [1, 0], [0xFF, 0, 0xFF]];
        for (var i = 0; i < keys.Length; i++)
        {
            store.Apply(Slot, keys[i], Value(1, $"value{i}"));
        }

        for (var i = 0; i < keys.Length; i++)
        {
            Assert.True(store.TryGet(Slot, keys[i], out var record), $"key {i}");
            Assert.Equal(Encoding.UTF8.GetBytes($"value{i}"), record.Value);
        }

        Assert.Equal(keys.Length, store.ScanSlot(Slot).Count());
    }

    [Fact]
    public void CountLive_IgnoresTombstonesAndExpiredRecords()
    {
        using var store = CreateStore();
        Assert.Equal(0, store.CountLive(0));

        store.Apply(1, Key("forever"), Value(1));
        store.Apply(2, Key("until-1000"), Value(1, expiresAtMs: 1000));
        store.Apply(3, Key("until-2000"), Value(1, expiresAtMs: 2000));
        store.Apply(3, Key("deleted"), StoredRecord.Tombstone(V(1)));
        store.Apply(4, Key("overwritten-by-delete"), Value(1));
        store.Apply(4, Key("overwritten-by-delete"), StoredRecord.Tombstone(V(2)));

        Assert.Equal(3, store.CountLive(999));
        Assert.Equal(2, store.CountLive(1000));
        Assert.Equal(1, store.CountLive(2000));
    }

    [Fact]
    public void ScanSlot_ReturnsExactlyTheSlotsRecords()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("a"), Value(1, "A"));
        store.Apply(Slot, Key("b"), StoredRecord.Tombstone(V(1)));
        store.Apply(Slot, Key("c"), Value(1, expiresAtMs: 1));
        store.Apply(Slot - 1, Key("other-before"), Value(1));
        store.Apply(Slot + 1, Key("other-after"), Value(1));

        var scanned = store.ScanSlot(Slot).ToDictionary(e => Encoding.UTF8.GetString(e.Key), e => e.Value);

        Assert.Equal(["a", "b", "c"], scanned.Keys.Order());
        Assert.Equal("A"u8.ToArray(), scanned["a"].Value);
        Assert.True(scanned["b"].IsTombstone);
        Assert.Empty(store.ScanSlot(Slot + 2));
    }

    [Fact]
    public void ScanSlot_WritesDuringEnumeration_DoNotFailIt()
    {
        using var store = CreateStore();
        for (var i = 0; i < 100; i++)
        {
            store.Apply(Slot, Key($"k{i}"), Value(1));
        }

        var seen = new List<string>();
        foreach (var (key, _) in store.ScanSlot(Slot))
        {
            seen.Add(Encoding.UTF8.GetString(key));
            store.Apply(Slot, Key($"added-{seen.Count}"), Value(1));
            store.Apply(Slot, Key("k0"), Value((ulong)seen.Count + 1));
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(Enumerable.Range(1, 99), i => Assert.Contains($"k{i}", seen));
    }

    [Fact]
    public void Clear_RemovesEveryRecord()
    {
        using var store = CreateStore();
        store.Apply(0, Key("a"), Value(1));
        store.Apply(StorageSlots.Count - 1, Key("b"), Value(1, expiresAtMs: 10));
        store.Apply(Slot, Key("c"), StoredRecord.Tombstone(V(1)));

        store.Clear();

        Assert.False(store.TryGet(0, Key("a"), out _));
        Assert.Empty(store.ScanSlot(Slot));
        Assert.Equal(0, store.CountLive(0));
        Assert.Equal(ApplyResult.Applied, store.Apply(Slot, Key("c"), Value(1)));
    }

    [Fact]
    public void Apply_ConcurrentVersionsOfSameKeys_StoredVersionNeverGoesDown()
    {
        const int Threads = 4;
        const int Keys = 4;
        const int VersionsPerKey = 5_000;
        using var store = CreateStore();
        using var start = new Barrier(Threads);
        var violations = new ConcurrentQueue<string>();

        // Every thread climbs through the same timestamps on the same few keys, tagged with its own node tag, so
        // the threads keep racing with versions close together. A merge that is not atomic lets a lower version
        // overwrite a higher one; each thread reads back after every apply, so such a lost update shows up as a
        // version below one that thread already applied or saw, not only in the final state.
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var highestSeen = new RecordVersion[Keys];
            start.SignalAndWait();
            for (var ts = 1UL; ts <= VersionsPerKey; ts++)
            {
                for (var k = 0; k < Keys; k++)
                {
                    var version = V(ts, (uint)t);
                    store.Apply(Slot, Key($"key{k}"), StoredRecord.ForValue(version, Key($"{version}")));
                    var floor = version > highestSeen[k] ? version : highestSeen[k];
                    var seen = store.TryGet(Slot, Key($"key{k}"), out var record) ? record.Version : RecordVersion.Zero;
                    if (seen < floor)
                    {
                        violations.Enqueue($"key{k}: read {seen} after applying or seeing {floor}");
                    }

                    highestSeen[k] = seen > floor ? seen : floor;
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(violations);
        var highest = V(VersionsPerKey, Threads - 1);
        for (var k = 0; k < Keys; k++)
        {
            var record = Get(store, $"key{k}");
            Assert.Equal(highest, record.Version);
            Assert.Equal(Key($"{highest}"), record.Value);
        }

        Assert.Equal(Keys, store.CountLive(0));
    }

    [Fact]
    public void CountLive_AfterConcurrentWritesAndDeletes_MatchesStoredRecords()
    {
        const int Threads = 4;
        const int Keys = 2_000;
        using var store = CreateStore();
        using var start = new Barrier(Threads);

        // Every thread writes every key; the winning record per key is decided by version, not by thread timing.
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var k = 0; k < Keys; k++)
            {
                var record = (k + t) % 3 == 0
                    ? StoredRecord.Tombstone(new RecordVersion((ulong)(k + 1), (uint)t))
                    : Value((ulong)(k + 1), expiresAtMs: t % 2 == 0 ? 0 : 500, nodeTag: (uint)t);
                store.Apply(k % 16, Key($"key{k}"), record);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var stored = Enumerable.Range(0, 16).SelectMany(slot => store.ScanSlot(slot)).Select(e => e.Value).ToList();
        Assert.Equal(Keys, stored.Count);
        Assert.All(stored, r => Assert.Equal((uint)(Threads - 1), r.Version.NodeTag));
        Assert.Equal(stored.Count(r => r.IsLive(0)), store.CountLive(0));
        Assert.Equal(stored.Count(r => r.IsLive(500)), store.CountLive(500));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(StorageSlots.Count)]
    public void SlotOutOfRange_Throws(int slot)
    {
        using var store = CreateStore();

        Assert.Throws<ArgumentOutOfRangeException>(() => store.TryGet(slot, Key("k"), out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Apply(slot, Key("k"), Value(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.ScanSlot(slot));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.ScanSlot(slot, after: Key("k")));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.RemoveIfVersion(slot, Key("k"), V(1)));
    }

    [Fact]
    public void Apply_SameKeyInDifferentSlots_AreSeparateRecords()
    {
        using var store = CreateStore();
        store.Apply(0, Key("k"), Value(1, "zero"));
        store.Apply(StorageSlots.Count - 1, Key("k"), Value(1, "last"));

        Assert.True(store.TryGet(0, Key("k"), out var first));
        Assert.True(store.TryGet(StorageSlots.Count - 1, Key("k"), out var last));
        Assert.Equal("zero"u8.ToArray(), first.Value);
        Assert.Equal("last"u8.ToArray(), last.Value);
    }

    [Fact]
    public void Members_AfterDispose_ThrowObjectDisposed()
    {
        var store = CreateStore();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.TryGet(Slot, Key("k"), out _));
        Assert.Throws<ObjectDisposedException>(() => store.Apply(Slot, Key("k"), Value(1)));
        Assert.Throws<ObjectDisposedException>(() => store.CountLive(0));
        Assert.Throws<ObjectDisposedException>(() => store.RemoveIfVersion(Slot, Key("k"), V(1)));
    }

    private static byte[] Key(string text) => Encoding.UTF8.GetBytes(text);

    private static RecordVersion V(ulong timestamp, uint nodeTag = 1) => new(timestamp, nodeTag);

    private static StoredRecord Value(ulong timestamp, string text = "v", long expiresAtMs = 0, uint nodeTag = 1) =>
        StoredRecord.ForValue(V(timestamp, nodeTag), Encoding.UTF8.GetBytes(text), expiresAtMs);

    private static StoredRecord Get(IKeyValueStore store, string key)
    {
        Assert.True(store.TryGet(Slot, Key(key), out var record), $"key '{key}' is missing");
        return record;
    }
}
