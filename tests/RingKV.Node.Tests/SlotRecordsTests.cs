using System.Text;
using RingKV.Node.Rebalancing;
using RingKV.Placement;
using RingKV.Storage;
using RingKV.Storage.InMemory;
using RingKV.Storage.Versioning;

namespace RingKV.Node.Tests;

public sealed class SlotRecordsTests : IDisposable
{
    private const long NowMs = 1_750_000_000_000;

    /// <summary>Records purgeable before this moment (a one-hour grace period).</summary>
    private const long CutoffMs = NowMs - 3_600_000;

    private const int Slot = 42;

    private readonly InMemoryKeyValueStore _store = new();

    public void Dispose() => _store.Dispose();

    private static RecordVersion At(long ms, ushort logical = 0, uint tag = 1) => new(HybridLogicalClock.Pack(ms, logical), tag);

    private static StoredRecord Value(RecordVersion version, long expiresAtMs = 0) => StoredRecord.ForValue(version, [1, 2, 3], expiresAtMs);

    /// <summary>A tombstone written long before the cutoff: purgeable.</summary>
    private static StoredRecord OldTombstone(int i) => StoredRecord.Tombstone(At(CutoffMs - 1000 - i));

    /// <summary>A value that expired long before the cutoff: purgeable.</summary>
    private static StoredRecord LongExpired(int i) => Value(At(CutoffMs - 5000 - i), expiresAtMs: CutoffMs - 10 - i);

    private static byte[] Key(string text) => Encoding.UTF8.GetBytes(text);

    private static (int, string, RecordVersion) View(KeyVersion entry) => (entry.Slot, Convert.ToHexString(entry.Key), entry.Version);

    /// <summary>Fifty live records (values, recent tombstones, values expiring within the grace period).</summary>
    private static List<(byte[] Key, StoredRecord Record)> LiveRecords(int seed)
    {
        var random = new Random(seed);
        var records = new List<(byte[], StoredRecord)>();
        for (var i = 0; i < 50; i++)
        {
            var version = At(NowMs - random.Next(1_000_000), (ushort)random.Next(10), (uint)random.Next(1, 4));
            var record = (i % 5) switch
            {
                0 => StoredRecord.Tombstone(version),
                1 => Value(version, expiresAtMs: CutoffMs + random.Next(1, 100_000)),
                _ => Value(version),
            };
            records.Add((Key($"key:{i}:{random.Next()}"), record));
        }
        return records;
    }

    private static void Fill(IKeyValueStore store, int slot, IEnumerable<(byte[] Key, StoredRecord Record)> records)
    {
        foreach (var (key, record) in records)
        {
            Assert.Equal(ApplyResult.Applied, store.Apply(slot, key, record));
        }
    }

    private ulong Digest(IKeyValueStore? store = null, int slot = Slot) => SlotRecords.Digest(store ?? _store, slot, CutoffMs);

    [Fact]
    public void Digest_EqualRecordSets_EqualRegardlessOfInsertionOrder()
    {
        var records = LiveRecords(1);
        using var other = new InMemoryKeyValueStore();
        Fill(_store, Slot, records);
        var shuffle = new Random(99);
        Fill(other, Slot, records.OrderBy(_ => shuffle.Next()).Reverse());

        Assert.NotEqual(0UL, Digest());
        Assert.Equal(Digest(), Digest(other));
    }

    [Fact]
    public void Digest_Deterministic()
    {
        Fill(_store, Slot, LiveRecords(2));

        Assert.Equal(Digest(), Digest());
    }

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(0, 1, 0)]
    [InlineData(0, 0, 1)]
    public void Digest_OneVersionDiffers_DigestDiffers(int msDelta, int logicalDelta, int tagDelta)
    {
        var records = LiveRecords(3);
        using var other = new InMemoryKeyValueStore();
        Fill(_store, Slot, records);
        var (key, record) = records[17];
        var changed = new RecordVersion(record.Version.Timestamp + ((ulong)msDelta << HybridLogicalClock.LogicalBits) + (ulong)logicalDelta,
            record.Version.NodeTag + (uint)tagDelta);
        Fill(other, Slot, records.Select(r => r.Key == key ? (key, Value(changed)) : r));

        Assert.NotEqual(Digest(), Digest(other));
    }

    [Fact]
    public void Digest_KeyMissing_DigestDiffers()
    {
        var records = LiveRecords(4);
        using var other = new InMemoryKeyValueStore();
        Fill(_store, Slot, records);
        Fill(other, Slot, records.Skip(1));

        Assert.NotEqual(Digest(), Digest(other));
    }

    [Fact]
    public void Digest_SameVersionUnderAnotherKey_DigestDiffers()
    {
        var version = At(NowMs);
        using var other = new InMemoryKeyValueStore();
        _store.Apply(Slot, Key("a"), Value(version));
        other.Apply(Slot, Key("b"), Value(version));

        Assert.NotEqual(Digest(), Digest(other));
    }

    [Fact]
    public void Digest_EmptySlot_Zero() => Assert.Equal(0UL, Digest());

    [Fact]
    public void Digest_OnlyPurgeableRecords_Zero()
    {
        for (var i = 0; i < 5; i++)
        {
            _store.Apply(Slot, Key($"gone:{i}"), OldTombstone(i));
            _store.Apply(Slot, Key($"expired:{i}"), LongExpired(i));
        }

        Assert.Equal(0UL, Digest());
    }

    [Fact]
    public void Digest_PurgeableRecords_Ignored()
    {
        var records = LiveRecords(5);
        using var other = new InMemoryKeyValueStore();
        Fill(_store, Slot, records);
        Fill(other, Slot, records);
        // One replica's purger has not run yet: it still holds a tombstone and an expired value the other dropped.
        other.Apply(Slot, Key("deleted-long-ago"), OldTombstone(0));
        other.Apply(Slot, Key("expired-long-ago"), LongExpired(0));

        Assert.Equal(Digest(), Digest(other));
    }

    [Fact]
    public void Digest_TombstoneAtOrAfterCutoff_Counted()
    {
        using var other = new InMemoryKeyValueStore();
        Fill(_store, Slot, LiveRecords(6));
        Fill(other, Slot, LiveRecords(6));
        other.Apply(Slot, Key("deleted-at-cutoff"), StoredRecord.Tombstone(At(CutoffMs)));

        Assert.NotEqual(Digest(), Digest(other));
    }

    [Fact]
    public void Digest_OtherSlots_DoNotMatter()
    {
        using var other = new InMemoryKeyValueStore();
        Fill(_store, Slot, LiveRecords(7));
        Fill(other, Slot, LiveRecords(7));
        Fill(other, Slot + 1, LiveRecords(8));

        Assert.Equal(Digest(), Digest(other));
        Assert.Equal(0UL, Digest(_store, Slot + 1));
    }

    [Fact]
    public void Digest_LongKeys_Handled()
    {
        using var other = new InMemoryKeyValueStore();
        using var third = new InMemoryKeyValueStore();
        var longKey = new byte[1000];
        longKey.AsSpan().Fill((byte)'x');
        var alsoLong = longKey.ToArray();
        alsoLong[^1] = (byte)'y';
        foreach (var store in new[] { _store, other })
        {
            store.Apply(Slot, longKey, Value(At(NowMs)));
            store.Apply(Slot, Key("short"), Value(At(NowMs)));
            store.Apply(Slot, new byte[244], Value(At(NowMs)));
        }
        third.Apply(Slot, alsoLong, Value(At(NowMs)));
        third.Apply(Slot, Key("short"), Value(At(NowMs)));
        third.Apply(Slot, new byte[244], Value(At(NowMs)));

        Assert.Equal(Digest(), Digest(other));
        Assert.NotEqual(Digest(), Digest(third));
    }

    /// <summary>
    /// Records in slots 3, 4, 100 and 16383 (the listed set) and 5 (not listed), with keys that test ordinal order
    /// (empty, prefixes, high bytes) and purgeable records in between. Returns the expected listing.
    /// </summary>
    private List<(int, string, RecordVersion)> FillSlots(out SlotSet slots)
    {
        slots = SlotSet.Of([3, 4, 100, HashSlot.Count - 1]);
        var random = new Random(11);
        var expected = new List<(int Slot, byte[] Key, RecordVersion Version)>();
        foreach (var slot in new[] { 3, 4, 5, 100, HashSlot.Count - 1 })
        {
            List<byte[]> keys = [[], Key("a"), Key("ab"), Key("abc"), Key("b"), [0xFF], [0xFF, 0x00], [0x00], Key("A")];
            for (var i = 0; i < 10 + slot % 7; i++)
            {
                keys.Add(Key($"k{random.Next(1000)}-{i}"));
            }
            for (var i = 0; i < keys.Count; i++)
            {
                var purgeable = i % 4 == 3;
                var record = purgeable ? (i % 8 == 3 ? OldTombstone(i) : LongExpired(i)) : i % 5 == 0 ? StoredRecord.Tombstone(At(NowMs - i)) : Value(At(NowMs - i, tag: (uint)slot));
                Assert.Equal(ApplyResult.Applied, _store.Apply(slot, keys[i], record));
                if (!purgeable && slots.Contains(slot))
                {
                    expected.Add((slot, keys[i], record.Version));
                }
            }
        }
        return [.. expected
            .OrderBy(e => e.Slot)
            .ThenBy(e => e.Key, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))
            .Select(e => (e.Slot, Convert.ToHexString(e.Key), e.Version))];
    }

    /// <summary>All pages from <paramref name="fromSlot"/>/<paramref name="after"/> on, following the returned cursors.</summary>
    private List<List<KeyVersion>> AllPages(SlotSet slots, int pageSize, int fromSlot = 0, byte[]? after = null)
    {
        var pages = new List<List<KeyVersion>>();
        while (true)
        {
            Assert.True(pages.Count < 10_000, "paging does not end");
            var (entries, nextSlot, nextAfter) = SlotRecords.Page(_store, slots, fromSlot, after, pageSize, CutoffMs);
            pages.Add(entries);
            if (nextSlot < 0)
            {
                Assert.Null(nextAfter);
                return pages;
            }
            Assert.NotNull(nextAfter);
            // The cursor is the last entry of the page.
            Assert.Equal(entries[^1].Slot, nextSlot);
            Assert.Equal(entries[^1].Key, nextAfter);
            fromSlot = nextSlot;
            after = nextAfter;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Page_FollowingCursors_YieldsEveryRecordOnceInSlotKeyOrder(int pageSize)
    {
        var expected = FillSlots(out var slots);

        var pages = AllPages(slots, pageSize);

        Assert.All(pages.SkipLast(1), page => Assert.Equal(pageSize, page.Count));
        Assert.InRange(pages[^1].Count, 0, pageSize);
        Assert.Equal(expected, pages.SelectMany(p => p).Select(View));
    }

    [Fact]
    public void Page_LargePage_OneCallReturnsEverything()
    {
        var expected = FillSlots(out var slots);

        var (entries, nextSlot, nextAfter) = SlotRecords.Page(_store, slots, 0, null, 1000, CutoffMs);

        Assert.Equal(-1, nextSlot);
        Assert.Null(nextAfter);
        Assert.Equal(expected, entries.Select(View));
    }

    [Fact]
    public void Page_PurgeableRecords_Skipped()
    {
        for (var i = 0; i < 6; i++)
        {
            _store.Apply(7, Key($"gone:{i}"), OldTombstone(i));
            _store.Apply(7, Key($"expired:{i}"), LongExpired(i));
        }
        _store.Apply(7, Key("live"), Value(At(NowMs)));

        var (entries, nextSlot, _) = SlotRecords.Page(_store, SlotSet.Of([7]), 0, null, 100, CutoffMs);

        Assert.Equal(-1, nextSlot);
        var entry = Assert.Single(entries);
        Assert.Equal("live"u8.ToArray(), entry.Key);
    }

    [Fact]
    public void Page_SlotsOutsideTheSet_NotListed()
    {
        FillSlots(out _);

        var (entries, nextSlot, _) = SlotRecords.Page(_store, SlotSet.Of([5]), 0, null, 1000, CutoffMs);

        Assert.Equal(-1, nextSlot);
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal(5, e.Slot));
        var none = SlotRecords.Page(_store, SlotSet.Of([6, 7, 8]), 0, null, 10, CutoffMs);
        Assert.Empty(none.Entries);
        Assert.Equal(-1, none.NextSlot);
    }

    [Fact]
    public void Page_EmptySet_NothingAndDone()
    {
        FillSlots(out _);

        var (entries, nextSlot, nextAfter) = SlotRecords.Page(_store, SlotSet.Empty, 0, null, 10, CutoffMs);

        Assert.Empty(entries);
        Assert.Equal(-1, nextSlot);
        Assert.Null(nextAfter);
    }

    [Fact]
    public void Page_FromSlot_StartsThere()
    {
        var expected = FillSlots(out var slots);

        var pages = AllPages(slots, 3, fromSlot: 100);

        Assert.Equal(expected.Where(e => e.Item1 >= 100), pages.SelectMany(p => p).Select(View));
    }

    [Fact]
    public void Page_FromSlotNotInSet_StartsAtNextListedSlot()
    {
        var expected = FillSlots(out var slots);

        var pages = AllPages(slots, 5, fromSlot: 50, after: Key("zzz"));

        // The resume key applies to fromSlot only; slot 100 is listed from its start.
        Assert.Equal(expected.Where(e => e.Item1 >= 100), pages.SelectMany(p => p).Select(View));
    }

    [Fact]
    public void Page_AfterKey_ResumesStrictlyAfterItInThatSlotOnly()
    {
        var expected = FillSlots(out var slots);
        var after = Key("ab");

        var pages = AllPages(slots, 4, fromSlot: 4, after: after);

        var hexAfter = Convert.ToHexString(after);
        Assert.Equal(
            expected.Where(e => e.Item1 > 4 || (e.Item1 == 4 && string.CompareOrdinal(e.Item2, hexAfter) > 0)),
            pages.SelectMany(p => p).Select(View));
        Assert.Contains(pages.SelectMany(p => p), e => e.Slot == 100 && e.Key.Length == 0);
    }

    [Fact]
    public void Page_AfterKeyNotStored_ResumesAtNextGreaterKey()
    {
        var expected = FillSlots(out var slots);
        var after = Key("aa"); // between "a" and "ab"

        var pages = AllPages(slots, 1000, fromSlot: 3, after: after);

        var hexAfter = Convert.ToHexString(after);
        Assert.Equal(
            expected.Where(e => e.Item1 > 3 || string.CompareOrdinal(e.Item2, hexAfter) > 0),
            pages.SelectMany(p => p).Select(View));
    }

    [Fact]
    public void Page_EmptyKeyCursor_SkipsOnlyTheEmptyKey()
    {
        var expected = FillSlots(out var slots);

        var pages = AllPages(slots, 1000, fromSlot: 3, after: []);

        Assert.Equal(expected.Where(e => e.Item1 > 3 || e.Item2.Length > 0), pages.SelectMany(p => p).Select(View));
    }

    [Fact]
    public void Version_WriteThenRead_RoundTrips()
    {
        var random = new Random(21);
        var buffer = new byte[SlotRecords.VersionLength];
        var versions = new List<RecordVersion> { RecordVersion.Zero, new(ulong.MaxValue, uint.MaxValue), At(NowMs, 7, 3) };
        for (var i = 0; i < 100; i++)
        {
            versions.Add(new RecordVersion((ulong)random.NextInt64() * 2 + (ulong)random.Next(2), (uint)random.NextInt64(uint.MaxValue + 1L)));
        }

        foreach (var version in versions)
        {
            SlotRecords.WriteVersion(version, buffer);
            Assert.Equal(version, SlotRecords.ReadVersion(buffer));
        }
    }

    [Fact]
    public void Version_Layout_TimestampThenTagBigEndian()
    {
        var buffer = new byte[SlotRecords.VersionLength];

        SlotRecords.WriteVersion(new RecordVersion(0x0102030405060708, 0x090A0B0C), buffer);

        Assert.Equal(12, SlotRecords.VersionLength);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, buffer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(24)]
    public void Version_ReadWrongLength_ThrowsFormatException(int length) =>
        Assert.Throws<FormatException>(() => SlotRecords.ReadVersion(new byte[length]));
}
