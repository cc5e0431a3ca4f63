namespace RingKV.Placement.Tests;

public class SlotSetTests
{
    private const int Last = HashSlot.Count - 1;

    /// <summary>Random slot sets of various shapes (sparse, dense, runs), reproducible per seed.</summary>
    private static SlotSet RandomSet(int seed, out HashSet<int> reference)
    {
        var random = new Random(seed);
        var set = new HashSet<int>();
        switch (seed % 4)
        {
            case 0: // sparse
                for (var i = random.Next(1, 50); i > 0; i--)
                {
                    set.Add(random.Next(HashSlot.Count));
                }
                break;
            case 1: // dense
                var density = random.NextDouble();
                for (var slot = 0; slot < HashSlot.Count; slot++)
                {
                    if (random.NextDouble() < density)
                    {
                        set.Add(slot);
                    }
                }
                break;
            case 2: // runs, some touching the ends
                for (var i = random.Next(1, 20); i > 0; i--)
                {
                    var first = random.Next(HashSlot.Count);
                    var last = Math.Min(Last, first + random.Next(0, 2000));
                    for (var slot = first; slot <= last; slot++)
                    {
                        set.Add(slot);
                    }
                }
                if (random.Next(2) == 0)
                {
                    set.Add(0);
                    set.Add(Last);
                }
                break;
            default: // empty now and then
                if (random.Next(3) > 0)
                {
                    set.Add(random.Next(HashSlot.Count));
                }
                break;
        }
        reference = set;
        return SlotSet.Of(set);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    private static void AssertSame(HashSet<int> expected, SlotSet actual)
    {
        Assert.Equal(expected.Order(), actual);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Count == 0, actual.IsEmpty);
        Assert.Equal(expected.Count == HashSlot.Count, actual.IsFull);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Parse_OfToString_SameSet(int seed)
    {
        var set = RandomSet(seed, out var reference);

        var text = set.ToString();
        var copy = SlotSet.Parse(text);

        Assert.Equal(set, copy);
        AssertSame(reference, copy);
        Assert.Equal(text, copy.ToString());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Enumeration_AscendingAndMatchesContains(int seed)
    {
        var set = RandomSet(seed, out var reference);

        AssertSame(reference, set);
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            Assert.Equal(reference.Contains(slot), set.Contains(slot));
        }
    }

    [Theory]
    [InlineData("-", new int[0])]
    [InlineData("0", new[] { 0 })]
    [InlineData("16383", new[] { Last })]
    [InlineData("0-2", new[] { 0, 1, 2 })]
    [InlineData("5-5", new[] { 5 })]
    [InlineData("7,1-3", new[] { 1, 2, 3, 7 })]
    [InlineData("1-3,2-4,3", new[] { 1, 2, 3, 4 })]
    [InlineData("10,9,8", new[] { 8, 9, 10 })]
    [InlineData("007", new[] { 7 })]
    public void Parse_Valid_Slots(string text, int[] slots) => Assert.Equal(slots, SlotSet.Parse(text));

    [Theory]
    [InlineData("7,1-3", "1-3,7")]
    [InlineData("1-3,4-6", "1-6")]
    [InlineData("1-3,2-4,3", "1-4")]
    [InlineData("5-5", "5")]
    [InlineData("0-16383", "0-16383")]
    [InlineData("-", "-")]
    public void ToString_Normalized(string text, string expected) => Assert.Equal(expected, SlotSet.Parse(text).ToString());

    [Fact]
    public void ToString_EmptyIsDash() => Assert.Equal("-", SlotSet.Empty.ToString());

    [Fact]
    public void Parse_Dash_Empty()
    {
        Assert.Same(SlotSet.Empty, SlotSet.Parse("-"));
        Assert.True(SlotSet.Parse("-").IsEmpty);
    }

    [Fact]
    public void Parse_WholeRange_All()
    {
        Assert.Equal(SlotSet.All, SlotSet.Parse("0-16383"));
        Assert.Equal("0-16383", SlotSet.All.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("-5-3")]
    [InlineData("16384")]
    [InlineData("0-16384")]
    [InlineData("99999999999")]
    [InlineData("5-3")]
    [InlineData("1,,2")]
    [InlineData(",1")]
    [InlineData("1,")]
    [InlineData("1-")]
    [InlineData("-,1")]
    [InlineData("--")]
    [InlineData("1-2-3")]
    [InlineData("a")]
    [InlineData("1-b")]
    [InlineData("0x10")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("+1")]
    [InlineData("1.5")]
    [InlineData("1;2")]
    public void Parse_Malformed_ThrowsFormatException(string text) => Assert.Throws<FormatException>(() => SlotSet.Parse(text));

    [Fact]
    public void Parse_Null_Throws() => Assert.Throws<ArgumentNullException>(() => SlotSet.Parse(null!));

    [Theory]
    [InlineData(-1)]
    [InlineData(HashSlot.Count)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Of_OutOfRange_Throws(int slot) => Assert.Throws<ArgumentOutOfRangeException>(() => SlotSet.Of([1, slot]));

    [Theory]
    [InlineData(-1)]
    [InlineData(HashSlot.Count)]
    [InlineData(int.MinValue)]
    public void Contains_OutOfRange_False(int slot)
    {
        Assert.False(SlotSet.All.Contains(slot));
        Assert.False(SlotSet.Empty.Contains(slot));
    }

    [Fact]
    public void Of_Duplicates_CountedOnce()
    {
        var set = SlotSet.Of([3, 3, 1, 3]);

        Assert.Equal([1, 3], set);
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void EmptyAndAll_Counts()
    {
        Assert.Equal(0, SlotSet.Empty.Count);
        Assert.True(SlotSet.Empty.IsEmpty);
        Assert.False(SlotSet.Empty.IsFull);
        Assert.Empty(SlotSet.Empty);
        Assert.Equal(HashSlot.Count, SlotSet.All.Count);
        Assert.True(SlotSet.All.IsFull);
        Assert.False(SlotSet.All.IsEmpty);
        Assert.Equal(Enumerable.Range(0, HashSlot.Count), SlotSet.All);
    }

    [Fact]
    public void Where_MatchesPredicate()
    {
        var set = SlotSet.Where(slot => slot % 7 == 3);

        Assert.Equal(Enumerable.Range(0, HashSlot.Count).Where(slot => slot % 7 == 3), set);
        Assert.Equal(SlotSet.All, SlotSet.Where(_ => true));
        Assert.Equal(SlotSet.Empty, SlotSet.Where(_ => false));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void SetOperations_MatchHashSet(int seed)
    {
        var a = RandomSet(seed, out var ra);
        var b = RandomSet(seed * 7919 + 1, out var rb);

        var union = new HashSet<int>(ra);
        union.UnionWith(rb);
        var intersection = new HashSet<int>(ra);
        intersection.IntersectWith(rb);
        var difference = new HashSet<int>(ra);
        difference.ExceptWith(rb);

        AssertSame(union, a.Union(b));
        AssertSame(intersection, a.Intersect(b));
        AssertSame(difference, a.Except(b));
        Assert.Equal(a.Union(b), b.Union(a));
        Assert.Equal(a.Intersect(b), b.Intersect(a));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void SetOperations_Identities(int seed)
    {
        var a = RandomSet(seed, out _);

        Assert.Equal(a, a.Union(SlotSet.Empty));
        Assert.Equal(SlotSet.All, a.Union(SlotSet.All));
        Assert.Equal(a, a.Intersect(SlotSet.All));
        Assert.Equal(SlotSet.Empty, a.Intersect(SlotSet.Empty));
        Assert.Equal(SlotSet.Empty, a.Except(a));
        Assert.Equal(a, a.Except(SlotSet.Empty));
        Assert.Equal(SlotSet.All, a.Union(SlotSet.All.Except(a)));
        Assert.True(a.Intersect(SlotSet.All.Except(a)).IsEmpty);
    }

    [Fact]
    public void SetOperations_DoNotChangeOperands()
    {
        var a = SlotSet.Parse("0-10");
        var b = SlotSet.Parse("5-20");

        _ = a.Union(b);
        _ = a.Intersect(b);
        _ = a.Except(b);

        Assert.Equal("0-10", a.ToString());
        Assert.Equal("5-20", b.ToString());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Ranges_MaximalAscendingAndCoverTheSet(int seed)
    {
        var set = RandomSet(seed, out var reference);

        var ranges = set.Ranges().ToList();

        Assert.All(ranges, r => Assert.True(r.First <= r.Last));
        for (var i = 1; i < ranges.Count; i++)
        {
            // Maximal: a gap of at least one slot between consecutive ranges.
            Assert.True(ranges[i].First > ranges[i - 1].Last + 1);
        }
        Assert.All(ranges, r =>
        {
            Assert.False(set.Contains(r.First - 1));
            Assert.False(set.Contains(r.Last + 1));
        });
        Assert.Equal(reference.Order(), ranges.SelectMany(r => Enumerable.Range(r.First, r.Last - r.First + 1)));
    }

    [Fact]
    public void Ranges_Examples()
    {
        Assert.Empty(SlotSet.Empty.Ranges());
        Assert.Equal([(0, Last)], SlotSet.All.Ranges());
        Assert.Equal([(0, 0), (2, 4), (Last, Last)], SlotSet.Of([0, 2, 3, 4, Last]).Ranges());
        // Runs across the 64-slot words of the bitmap.
        Assert.Equal([(60, 130)], SlotSet.Of(Enumerable.Range(60, 71)).Ranges());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(HashSlot.Count)]
    [InlineData(int.MaxValue)]
    public void Chunk_PiecesOfAtMostSizeInOrder(int size)
    {
        var set = RandomSet(6, out var reference);
        Assert.True(set.Count > 100);

        var chunks = set.Chunk(size).ToList();

        Assert.Equal((reference.Count + (long)size - 1) / size, chunks.Count);
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(size, c.Count));
        Assert.InRange(chunks[^1].Count, 1, size);
        for (var i = 1; i < chunks.Count; i++)
        {
            Assert.True(chunks[i].First() > chunks[i - 1].Last());
        }
        Assert.Equal(reference.Order(), chunks.SelectMany(c => c));
    }

    [Fact]
    public void Chunk_Empty_NoPieces() => Assert.Empty(SlotSet.Empty.Chunk(10));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Chunk_SizeBelowOne_Throws(int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SlotSet.All.Chunk(size).ToList());

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Equality_BySlotsNotByConstruction(int seed)
    {
        var set = RandomSet(seed, out var reference);
        var viaOf = SlotSet.Of(reference.OrderDescending());
        var viaParse = SlotSet.Parse(set.ToString());
        var viaWhere = SlotSet.Where(reference.Contains);

        foreach (var other in new[] { viaOf, viaParse, viaWhere })
        {
            Assert.True(set.Equals(other));
            Assert.True(set.Equals((object)other));
            Assert.Equal(set.GetHashCode(), other.GetHashCode());
        }
    }

    [Fact]
    public void Equality_DifferentSets_NotEqual()
    {
        var a = SlotSet.Of([1, 2, 3]);
        var b = SlotSet.Of([1, 2, 4]);

        Assert.False(a.Equals(b));
        Assert.NotEqual(a, b);
        Assert.False(a.Equals(null));
        Assert.False(a.Equals((object?)null));
        Assert.False(a.Equals("1-3"));
        Assert.NotEqual(SlotSet.Empty, SlotSet.All);
        Assert.NotEqual(SlotSet.Of([0]), SlotSet.Of([Last]));
    }

    [Fact]
    public void Equality_UsableAsDictionaryKey()
    {
        var byRange = new Dictionary<SlotSet, string>
        {
            [SlotSet.Parse("0-99")] = "low",
            [SlotSet.Parse("100-199")] = "high",
        };

        Assert.Equal("low", byRange[SlotSet.Of(Enumerable.Range(0, 100))]);
        Assert.Equal("high", byRange[SlotSet.Parse("100-150,151-199")]);
    }
}
