using System.Collections.Concurrent;
using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests.Versioning;

public class HybridLogicalClockTests
{
    private const long T = 1_700_000_000_000;

    [Fact]
    public void Pack_PutsMillisecondsAboveA16BitCounter()
    {
        Assert.Equal(0x1_0003UL, HybridLogicalClock.Pack(1, 3));
        var packed = HybridLogicalClock.Pack(T, 42);
        Assert.Equal(T, HybridLogicalClock.PhysicalMs(packed));
        Assert.Equal((ushort)42, HybridLogicalClock.Logical(packed));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(HybridLogicalClock.MaxPhysicalMs + 1)]
    public void Pack_MillisecondsOutOfRange_Throws(long ms) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HybridLogicalClock.Pack(ms, 0));

    [Fact]
    public void Now_WallClockAdvancing_FollowsWallClockWithZeroCounter()
    {
        var time = new ManualTimeProvider(T);
        var clock = new HybridLogicalClock(time);

        Assert.Equal(HybridLogicalClock.Pack(T, 0), clock.Now());
        time.UnixMs = T + 5;
        Assert.Equal(HybridLogicalClock.Pack(T + 5, 0), clock.Now());
    }

    [Fact]
    public void Now_WallClockStandingStill_IncrementsCounter()
    {
        var clock = new HybridLogicalClock(new ManualTimeProvider(T));

        var values = Enumerable.Range(0, 1000).Select(_ => clock.Now()).ToArray();

        Assert.All(values, v => Assert.Equal(T, HybridLogicalClock.PhysicalMs(v)));
        AssertStrictlyIncreasing(values);
    }

    [Fact]
    public void Now_WallClockGoingBackwards_NeverGoesBackwards()
    {
        var time = new ManualTimeProvider(T);
        var clock = new HybridLogicalClock(time);
        var before = clock.Now();

        time.UnixMs = T - 60_000;
        var after = new[] { clock.Now(), clock.Now() };

        Assert.True(after[0] > before);
        Assert.True(after[1] > after[0]);
        Assert.Equal(T, HybridLogicalClock.PhysicalMs(after[1]));
    }

    [Fact]
    public void Observe_RemoteInTheFuture_LaterValuesExceedIt()
    {
        var clock = new HybridLogicalClock(new ManualTimeProvider(T));
        var remote = HybridLogicalClock.Pack(T + 10_000, 7);

        var merged = clock.Observe(remote);

        Assert.Equal(remote + 1, merged);
        Assert.True(clock.Now() > remote);
    }

    [Fact]
    public void Observe_RemoteInThePast_StillAdvancesTheClock()
    {
        var clock = new HybridLogicalClock(new ManualTimeProvider(T));
        var last = clock.Now();

        var merged = clock.Observe(HybridLogicalClock.Pack(T - 1000, 0));

        Assert.True(merged > last);
    }

    [Fact]
    public void NextAfter_FloorAboveClock_ReturnsAboveFloor()
    {
        var clock = new HybridLogicalClock(new ManualTimeProvider(T));
        var floor = HybridLogicalClock.Pack(T + 500, 3);

        var next = clock.NextAfter(floor);

        Assert.True(next > floor);
        Assert.True(clock.Now() > next);
    }

    [Fact]
    public void NextAfter_FloorBelowClock_ReturnsAboveEverythingReturned()
    {
        var clock = new HybridLogicalClock(new ManualTimeProvider(T));
        var last = clock.Now();

        var next = clock.NextAfter(HybridLogicalClock.Pack(T - 1, 0));

        Assert.True(next > last);
    }

    [Fact]
    public void Now_LogicalCounterFull_CarriesIntoTheNextMillisecond()
    {
        var clock = new HybridLogicalClock(new ManualTimeProvider(T));

        var carried = clock.Observe(HybridLogicalClock.Pack(T, ushort.MaxValue));

        Assert.Equal(HybridLogicalClock.Pack(T + 1, 0), carried);
        Assert.Equal(HybridLogicalClock.Pack(T + 1, 1), clock.Now());
    }

    [Fact]
    public void Observe_MaximumValue_ThrowsAndLeavesClockUsable()
    {
        var clock = new HybridLogicalClock(new ManualTimeProvider(T));
        var last = clock.Now();

        Assert.Throws<OverflowException>(() => clock.Observe(ulong.MaxValue));
        Assert.True(clock.Now() > last);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Now_ConcurrentCallers_AllValuesUnique(bool wallClockStandsStill)
    {
        // Standing still, 4 x 40000 values exceed the 65536 counter values of one millisecond: exercises the carry.
        const int Threads = 4;
        const int PerThread = 40_000;
        TimeProvider time = wallClockStandsStill ? new ManualTimeProvider(T) : TimeProvider.System;
        var clock = new HybridLogicalClock(time);
        var results = new ConcurrentBag<ulong[]>();
        using var start = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            var values = new ulong[PerThread];
            start.SignalAndWait();
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = clock.Now();
            }

            results.Add(values);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(results, AssertStrictlyIncreasing);
        Assert.Equal(Threads * PerThread, results.SelectMany(v => v).Distinct().Count());
    }

    private static void AssertStrictlyIncreasing(ulong[] values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            Assert.True(values[i] > values[i - 1], $"value {i} ({values[i]}) is not above {values[i - 1]}");
        }
    }
}
