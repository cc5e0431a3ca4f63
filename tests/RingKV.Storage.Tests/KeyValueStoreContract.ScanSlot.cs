namespace RingKV.Storage.Tests;

/// <summary>The order of <see cref="IKeyValueStore.ScanSlot"/> and resuming it after a key (paging).</summary>
public abstract partial class KeyValueStoreContract
{
    [Fact]
    public void ScanSlot_ReturnsKeysInOrdinalByteOrder()
    {
        using var store = CreateStore();
        byte[][] ordered =
        [
            [],
            [0x00],
            [0x00, 0x00],
            [0x00, 0x01],
            [0x01],
            [0x61],
            [0x61, 0x00],
            [0x61, 0x62],
            [0x61, 0x62, 0x63],
            [0x62],
            [0x7F],
            [0x7F, 0xFF],
            // Above 0x7F only when bytes compare unsigned; a signed comparison puts these first.
            [0x80],
            [0x80, 0x00],
            [0xC3, 0xA9],
            [0xFF],
            [0xFF, 0xFF],
        ];
        // 7 is coprime with the count, so this visits every index once, in an order far from sorted.
        for (var i = 0; i < ordered.Length; i++)
        {
            var index = i * 7 % ordered.Length;
            store.Apply(Slot, ordered[index], Value(1, $"v{index}"));
        }

        var scanned = store.ScanSlot(Slot).ToList();

        Assert.Equal(ordered.Select(Convert.ToHexString), scanned.Select(e => Convert.ToHexString(e.Key)));
        Assert.Equal(Enumerable.Range(0, ordered.Length).Select(i => $"v{i}"), scanned.Select(e => Text(e.Value.Value)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(10_000)]
    public void ScanSlot_PagesResumedAfterTheirLastKey_ConcatenateToTheFullScan(int pageSize)
    {
        using var store = CreateStore();
        var keys = PrefixHeavyKeys(count: 600);
        for (var i = 0; i < keys.Count; i++)
        {
            store.Apply(Slot, keys[i], i % 5 == 0 ? StoredRecord.Tombstone(V(1)) : Value(1, $"v{i}"));
        }

        int[] neighbours = [Slot - 1, Slot + 1];
        foreach (var neighbour in neighbours)
        {
            store.Apply(neighbour, [], Value(1));
            store.Apply(neighbour, [0x80], Value(1));
            store.Apply(neighbour, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Value(1));
        }

        var full = store.ScanSlot(Slot).ToList();
        var paged = new List<KeyValuePair<byte[], StoredRecord>>();
        byte[]? after = null;
        while (true)
        {
            var page = store.ScanSlot(Slot, after).Take(pageSize).ToList();
            paged.AddRange(page);
            // A resume that repeats its key never ends; fail instead of looping.
            Assert.True(paged.Count <= keys.Count, "paging repeats records");
            if (page.Count < pageSize)
            {
                break;
            }

            after = page[^1].Key;
        }

        Assert.Equal(keys.Select(Convert.ToHexString).Order(), full.Select(e => Convert.ToHexString(e.Key)).Order());
        AssertStrictlyAscending(full.Select(e => e.Key));
        Assert.Equal(full.Select(e => Convert.ToHexString(e.Key)), paged.Select(e => Convert.ToHexString(e.Key)));
        Assert.Equal(full.Select(e => (e.Value.Version, e.Value.IsTombstone, Text(e.Value.Value))),
            paged.Select(e => (e.Value.Version, e.Value.IsTombstone, Text(e.Value.Value))));
    }

    [Fact]
    public void ScanSlot_AfterAKeyNotInTheSlot_StartsAtTheNextGreaterKey()
    {
        using var store = CreateStore();
        byte[][] keys = [Key("a"), Key("ab"), Key("c"), [0x80]];
        foreach (var key in keys)
        {
            store.Apply(Slot, key, Value(1));
        }

        store.Apply(Slot + 1, Key("b"), Value(1));

        Assert.Equal(["63", "80"], ScanHex(store, Slot, Key("b")));
        Assert.Equal(["6162", "63", "80"], ScanHex(store, Slot, Key("aa")));
        Assert.Equal(["6162", "63", "80"], ScanHex(store, Slot, [0x61, 0x00]));
        Assert.Equal(["61", "6162", "63", "80"], ScanHex(store, Slot, []));
        Assert.Equal(["80"], ScanHex(store, Slot, [0x7F, 0xFF, 0xFF]));
    }

    [Fact]
    public void ScanSlot_AfterAStoredKey_SkipsItAndWhatPrecedesIt()
    {
        using var store = CreateStore();
        byte[][] keys = [[], [0x00], Key("a"), Key("ab"), Key("abc")];
        foreach (var key in keys)
        {
            store.Apply(Slot, key, Value(1));
        }

        Assert.Equal(["00", "61", "6162", "616263"], ScanHex(store, Slot, []));
        Assert.Equal(["61", "6162", "616263"], ScanHex(store, Slot, [0x00]));
        Assert.Equal(["616263"], ScanHex(store, Slot, Key("ab")));
    }

    [Fact]
    public void ScanSlot_AfterTheLastKey_ReturnsNothing()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("a"), Value(1));
        store.Apply(Slot, [0xFF], Value(1));
        // The next slot's keys come right after this slot's in engines that lay slots out contiguously.
        store.Apply(Slot + 1, [], Value(1));
        store.Apply(Slot + 1, [0x00], Value(1));

        Assert.Empty(store.ScanSlot(Slot, [0xFF]));
        Assert.Empty(store.ScanSlot(Slot, [0xFF, 0xFF, 0xFF, 0xFF]));
        Assert.Empty(store.ScanSlot(Slot + 2, []));
        Assert.Empty(store.ScanSlot(StorageSlots.Count - 1, [0xFF]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Slot)]
    [InlineData(StorageSlots.Count - 1)]
    public void ScanSlot_WithOrWithoutAfter_NeverReturnsAnotherSlotsRecords(int slot)
    {
        using var store = CreateStore();
        int[] slots = [0, 1, Slot - 1, Slot, Slot + 1, StorageSlots.Count - 2, StorageSlots.Count - 1];
        foreach (var written in slots)
        {
            byte[][] keys = [[], [0x00], [0x80], [0xFF, 0xFF], Key($"only-{written}")];
            foreach (var key in keys)
            {
                store.Apply(written, key, Value(1, $"{written}"));
            }
        }

        byte[]?[] resumeKeys = [null, [], [0x00], [0x7F], [0xFF], [0xFF, 0xFF]];
        foreach (var after in resumeKeys)
        {
            // Each slot's values name the slot, so a record from another slot would show.
            Assert.All(store.ScanSlot(slot, after), e => Assert.Equal($"{slot}", Text(e.Value.Value)));
        }

        Assert.Equal(5, store.ScanSlot(slot).Count());
    }

    [Fact]
    public void ScanSlot_CallerReusesTheAfterBuffer_ScanUnaffected()
    {
        using var store = CreateStore();
        store.Apply(Slot, Key("a"), Value(1));
        store.Apply(Slot, Key("b"), Value(1));
        store.Apply(Slot, Key("c"), Value(1));
        var after = Key("a");

        var scan = store.ScanSlot(Slot, after);
        after[0] = (byte)'b';

        Assert.Equal(["b", "c"], scan.Select(e => Text(e.Key)));
    }

    [Fact]
    public void ScanSlot_WritesDuringEnumeration_KeepTheOrder()
    {
        using var store = CreateStore();
        // More than one RocksDB batch (256), so the writes also land between batches.
        for (var i = 0; i < 600; i++)
        {
            store.Apply(Slot, Key($"k{i:D3}"), Value(1));
        }

        var seen = new List<byte[]>();
        var removed = new HashSet<string>();
        foreach (var (key, _) in store.ScanSlot(Slot))
        {
            seen.Add(key);
            var n = seen.Count;
            store.Apply(Slot, Key($"k{n:D3}-after"), Value(1));
            store.Apply(Slot, Key($"a{n:D3}-before"), Value(1));
            store.Apply(Slot, Key($"k{(n + 300) % 600:D3}"), Value((ulong)n + 1));
            if (n % 50 == 0 && n + 100 < 600 && store.RemoveIfVersion(Slot, Key($"k{n + 100:D3}"), V(1)))
            {
                removed.Add($"k{n + 100:D3}");
            }
        }

        AssertStrictlyAscending(seen);
        var untouched = Enumerable.Range(0, 600).Select(i => $"k{i:D3}").Except(removed);
        Assert.All(untouched, key => Assert.Contains(key, seen.Select(Text)));
    }

    /// <summary>
    /// Distinct keys of 0 to 5 bytes over a 5-byte alphabet (zero, bytes either side of the sign bit, 0xFF), so many
    /// keys are prefixes of others; fixed seed.
    /// </summary>
    private static List<byte[]> PrefixHeavyKeys(int count)
    {
        byte[] alphabet = [0x00, 0x01, 0x7F, 0x80, 0xFF];
        var random = new Random(20_240_601);
        var seen = new HashSet<string>();
        var keys = new List<byte[]>(count);
        while (keys.Count < count)
        {
            var key = new byte[random.Next(0, 6)];
            for (var i = 0; i < key.Length; i++)
            {
                key[i] = alphabet[random.Next(alphabet.Length)];
            }

            if (seen.Add(Convert.ToHexString(key)))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static void AssertStrictlyAscending(IEnumerable<byte[]> keys)
    {
        byte[]? previous = null;
        foreach (var key in keys)
        {
            Assert.True(previous is null || previous.AsSpan().SequenceCompareTo(key) < 0,
                $"{Convert.ToHexString(key)} came after {Convert.ToHexString(previous ?? [])}");
            previous = key;
        }
    }

    private static List<string> ScanHex(IKeyValueStore store, int slot, byte[]? after) =>
        store.ScanSlot(slot, after).Select(e => Convert.ToHexString(e.Key)).ToList();

    private static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);
}
