using System.Collections.Concurrent;
using System.Text;
using RingKV.Storage.Hints;
using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests;

/// <summary>
/// What every <see cref="IHintStore"/> must do. Derive once per implementation; each test creates (and disposes) its
/// own store, so implementations that need a directory can make one per call.
/// </summary>
public abstract class HintStoreContract
{
    protected abstract IHintStore CreateStore();

    [Fact]
    public void Append_ThenReadOldest_ReturnsTheHintsOfThatTargetInOrder()
    {
        using var store = CreateStore();
        store.Append("node-b", 7, Key("first"), Value(1, "one", expiresAtMs: 9000), nowMs: 100);
        store.Append("node-b", 8, Key("second"), StoredRecord.Tombstone(V(2)), nowMs: 200);
        store.Append("node-b", 9, Key("third"), Value(3, "three"), nowMs: 300);

        var hints = store.ReadOldest("node-b", 10);

        Assert.Equal(["first", "second", "third"], hints.Select(h => Encoding.UTF8.GetString(h.Key)));
        Assert.Equal([7, 8, 9], hints.Select(h => h.Slot));
        Assert.Equal([100L, 200L, 300L], hints.Select(h => h.CreatedAtMs));
        AssertIncreasing(hints.Select(h => h.Sequence));
        Assert.Equal(V(1), hints[0].Record.Version);
        Assert.Equal("one"u8.ToArray(), hints[0].Record.Value);
        Assert.Equal(9000, hints[0].Record.ExpiresAtMs);
        Assert.True(hints[1].Record.IsTombstone);
        Assert.Equal(V(2), hints[1].Record.Version);
    }

    [Fact]
    public void ReadOldest_HonoursMax()
    {
        using var store = CreateStore();
        for (var i = 0; i < 5; i++)
        {
            store.Append("b", 0, Key($"k{i}"), Value(1), nowMs: i);
        }

        Assert.Equal(["k0", "k1"], store.ReadOldest("b", 2).Select(h => Encoding.UTF8.GetString(h.Key)));
        Assert.Empty(store.ReadOldest("b", 0));
        Assert.Equal(5, store.ReadOldest("b", int.MaxValue).Count);
    }

    [Fact]
    public void ReadOldest_UnknownTarget_IsEmpty()
    {
        using var store = CreateStore();
        store.Append("known", 0, Key("k"), Value(1), nowMs: 0);

        Assert.Empty(store.ReadOldest("unknown", 10));
        Assert.Equal(0, store.Count("unknown"));
    }

    [Fact]
    public void Targets_AreIsolated_EvenWhenOneIdPrefixesAnother()
    {
        using var store = CreateStore();
        string[] targets = ["node", "node-2", "nod", "node\u00e9", "n"];
        foreach (var target in targets)
        {
            store.Append(target, 1, Key($"for {target}"), Value(1), nowMs: 0);
            store.Append(target, 2, Key($"again {target}"), Value(2), nowMs: 0);
        }

        foreach (var target in targets)
        {
            Assert.Equal(
                [$"for {target}", $"again {target}"],
                store.ReadOldest(target, 10).Select(h => Encoding.UTF8.GetString(h.Key)));
            Assert.Equal(2, store.Count(target));
        }

        Assert.Equal(targets.Order(StringComparer.Ordinal), store.Targets().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Remove_RemovesOnlyThatHint_AndEmptyTargetsDisappear()
    {
        using var store = CreateStore();
        store.Append("a", 0, Key("a1"), Value(1), nowMs: 0);
        store.Append("a", 0, Key("a2"), Value(1), nowMs: 0);
        store.Append("b", 0, Key("b1"), Value(1), nowMs: 0);
        var aHints = store.ReadOldest("a", 10);

        store.Remove("a", aHints[0].Sequence);

        Assert.Equal(["a2"], store.ReadOldest("a", 10).Select(h => Encoding.UTF8.GetString(h.Key)));
        Assert.Equal(1, store.Count("a"));
        Assert.Equal(1, store.Count("b"));

        store.Remove("a", aHints[1].Sequence);

        Assert.Empty(store.ReadOldest("a", 10));
        Assert.Equal(0, store.Count("a"));
        Assert.Equal(["b"], store.Targets());
    }

    [Fact]
    public void Remove_UnknownSequenceOrTarget_ChangesNothing()
    {
        using var store = CreateStore();
        store.Append("a", 0, Key("k"), Value(1), nowMs: 0);
        var sequence = store.ReadOldest("a", 1)[0].Sequence;

        store.Remove("a", sequence + 1000);
        store.Remove("other", sequence);
        store.Remove("a", sequence);
        store.Remove("a", sequence);

        Assert.Equal(0, store.Count("a"));
        Assert.Empty(store.Targets());
    }

    [Fact]
    public void Sequences_KeepGrowing_AfterEveryHintWasRemoved()
    {
        using var store = CreateStore();
        store.Append("a", 0, Key("k"), Value(1), nowMs: 0);
        var first = store.ReadOldest("a", 1)[0].Sequence;
        store.Remove("a", first);

        store.Append("b", 0, Key("k"), Value(1), nowMs: 0);
        store.Append("a", 0, Key("k"), Value(1), nowMs: 0);

        Assert.True(store.ReadOldest("b", 1)[0].Sequence > first);
        Assert.True(store.ReadOldest("a", 1)[0].Sequence > store.ReadOldest("b", 1)[0].Sequence);
    }

    [Fact]
    public void BinaryKeysAndValues_RoundTrip()
    {
        using var store = CreateStore();
        byte[][] keys = [[], [0], [0, 0], [0xFF, 0, 0xFF], [.. Enumerable.Range(0, 256).Select(i => (byte)i)]];
        foreach (var key in keys)
        {
            store.Append("b", StorageSlots.Count - 1, key, StoredRecord.ForValue(V(1), [0, 1, 0, 0xFF]), nowMs: 0);
        }

        var hints = store.ReadOldest("b", 10);

        Assert.Equal(keys, hints.Select(h => h.Key));
        Assert.All(hints, h => Assert.Equal([0, 1, 0, 0xFF], h.Record.Value));
        Assert.All(hints, h => Assert.Equal(StorageSlots.Count - 1, h.Slot));
    }

    [Fact]
    public void Append_ConcurrentFromSeveralThreads_AllPresentWithUniqueIncreasingSequences()
    {
        const int Threads = 4;
        const int PerThread = 500;
        using var store = CreateStore();
        using var start = new Barrier(Threads);
        var failures = new ConcurrentQueue<Exception>();

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                for (var i = 0; i < PerThread; i++)
                {
                    store.Append(i % 2 == 0 ? "even" : "odd", t, Key($"{t}/{i}"), Value((ulong)i + 1), nowMs: i);
                }
            }
            catch (Exception ex)
            {
                failures.Enqueue(ex);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(failures);
        var even = store.ReadOldest("even", int.MaxValue);
        var odd = store.ReadOldest("odd", int.MaxValue);
        Assert.Equal(Threads * PerThread / 2, even.Count);
        Assert.Equal(Threads * PerThread / 2, odd.Count);
        Assert.Equal(even.Count, store.Count("even"));
        Assert.Equal(odd.Count, store.Count("odd"));
        AssertIncreasing(even.Select(h => h.Sequence));
        AssertIncreasing(odd.Select(h => h.Sequence));
        var all = even.Concat(odd).ToList();
        Assert.Equal(all.Count, all.Select(h => h.Sequence).Distinct().Count());
        var expectedKeys = Enumerable.Range(0, Threads).SelectMany(t => Enumerable.Range(0, PerThread).Select(i => $"{t}/{i}"));
        Assert.Equal(expectedKeys.Order(), all.Select(h => Encoding.UTF8.GetString(h.Key)).Order());
    }

    private static void AssertIncreasing(IEnumerable<long> sequences)
    {
        var list = sequences.ToList();
        for (var i = 1; i < list.Count; i++)
        {
            Assert.True(list[i] > list[i - 1], $"sequence {list[i]} at {i} does not exceed {list[i - 1]}");
        }
    }

    private static byte[] Key(string text) => Encoding.UTF8.GetBytes(text);

    private static RecordVersion V(ulong timestamp) => new(timestamp, 1);

    private static StoredRecord Value(ulong timestamp, string text = "v", long expiresAtMs = 0) =>
        StoredRecord.ForValue(V(timestamp), Encoding.UTF8.GetBytes(text), expiresAtMs);
}
