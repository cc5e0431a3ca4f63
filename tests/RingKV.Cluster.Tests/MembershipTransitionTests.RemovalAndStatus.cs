using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;

namespace RingKV.Cluster.Tests;

// The removal timeout, coordinator restarts mid-transition, and the rebalance status document.
public sealed partial class MembershipTransitionTests
{
    [Fact]
    public async Task Tick_NodeDownPastRemovalTimeout_LeavesWhenOthersCanHoldEveryCopy()
    {
        var membership = await TestCoordinator.RingAsync(_cluster.Start(_cluster.Options(replicationFactor: 3, removalTimeout: RemovalTimeout)), 4);

        await _cluster.AdvanceWhileHeartbeatingAsync(membership, RemovalTimeout + TimeSpan.FromSeconds(5), "node-4");
        await membership.TickAsync();

        var map = membership.Map;
        Assert.Equal(NodeState.Down, map.Find("node-4")!.State);
        Assert.True(map.Find("node-4")!.Leaving);
        Assert.Equal(MemberStatus.Leaving, map.StatusOf("node-4"));
        Assert.Equal<string>(TestCoordinator.Ids(1, 2, 3), map.Transition!.Target);

        await TestCoordinator.CompleteTransitionAsync(membership);

        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(TestCoordinator.Ids(1, 2, 3), membership.Map.Members);
        Assert.Null(membership.Map.Find("node-4"));
    }

    [Fact]
    public async Task Tick_NodeDownShorterThanRemovalTimeout_StaysInTheRing()
    {
        var membership = await TestCoordinator.RingAsync(_cluster.Start(_cluster.Options(replicationFactor: 3, removalTimeout: RemovalTimeout)), 4);

        await _cluster.AdvanceWhileHeartbeatingAsync(membership, RemovalTimeout, "node-4");
        await membership.TickAsync();

        Assert.Equal(NodeState.Down, membership.Map.Find("node-4")!.State);
        Assert.False(membership.Map.Find("node-4")!.Leaving);
        Assert.Null(membership.Map.Transition);
    }

    [Fact]
    public async Task Tick_NodeDownPastRemovalTimeout_StaysWhenTooFewOthersForReplicationFactor()
    {
        var membership = await TestCoordinator.RingAsync(_cluster.Start(_cluster.Options(replicationFactor: 3, removalTimeout: RemovalTimeout)), 3);

        await _cluster.AdvanceWhileHeartbeatingAsync(membership, RemovalTimeout + TimeSpan.FromSeconds(5), "node-3");
        await membership.TickAsync();
        await _cluster.AdvanceWhileHeartbeatingAsync(membership, RemovalTimeout, "node-3");
        await membership.TickAsync();

        Assert.Equal(NodeState.Down, membership.Map.Find("node-3")!.State);
        Assert.False(membership.Map.Find("node-3")!.Leaving);
        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(TestCoordinator.Ids(1, 2, 3), membership.Map.Members);
    }

    [Fact]
    public async Task Tick_TwoNodesDownPastRemovalTimeout_OnlyOneLeavesWhenTheRestCouldNotHoldEveryCopy()
    {
        var membership = await TestCoordinator.RingAsync(_cluster.Start(_cluster.Options(replicationFactor: 3, removalTimeout: RemovalTimeout)), 4);

        await _cluster.AdvanceWhileHeartbeatingAsync(membership, RemovalTimeout + TimeSpan.FromSeconds(5), "node-3", "node-4");
        await membership.TickAsync();

        // Removing one leaves 3 nodes for 3 copies; removing the second as well would leave 2.
        Assert.Single(membership.Map.Nodes, n => n.Leaving);
        Assert.Equal(3, membership.Map.Nodes.Count(n => !n.Leaving));
    }

    [Fact]
    public async Task Tick_RemovalTimeoutZero_NeverRemoves()
    {
        var membership = await TestCoordinator.RingAsync(_cluster.Start(_cluster.Options(replicationFactor: 3, removalTimeout: TimeSpan.Zero)), 4);

        await _cluster.AdvanceWhileHeartbeatingAsync(membership, TimeSpan.FromHours(1), "node-4");
        await membership.TickAsync();

        Assert.Equal(TimeSpan.Zero, membership.RemovalTimeout);
        Assert.Equal(NodeState.Down, membership.Map.Find("node-4")!.State);
        Assert.False(membership.Map.Find("node-4")!.Leaving);
        Assert.Null(membership.Map.Transition);
    }

    [Fact]
    public async Task Restart_MidTransition_KeepsTransitionAndAcceptsReports()
    {
        var before = await JoiningFourthAsync();
        var transition = before.Map.Transition!;
        var gained = before.Map.GainedBy("node-4");
        var first = Half(gained);
        Assert.True(await before.SlotsSyncedAsync("node-4", transition.Id, first, 1, 1));
        var settled = before.Map.Transition!.Settled;

        var after = Start();

        Assert.Equal(before.Map.Epoch, after.Map.Epoch);
        Assert.NotNull(after.Map.Transition);
        Assert.Equal(transition.Id, after.Map.Transition.Id);
        Assert.Equal<string>(transition.Target, after.Map.Transition.Target);
        Assert.Equal(settled, after.Map.Transition.Settled);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], after.Map.Members);
        Assert.Equal(MemberStatus.Joining, after.Map.StatusOf("node-4"));

        // The gainer reports again everything it has (the restarted coordinator's progress is fresh).
        Assert.True(await after.SlotsSyncedAsync("node-4", transition.Id, gained, 1, 1));
        Assert.True(after.Map.Transition!.Settled.IsFull);
        await TestCoordinator.ConfirmEpochAsync(after);
        await after.TickAsync();

        Assert.Null(after.Map.Transition);
        Assert.Equal<string>(TestCoordinator.Ids(1, 2, 3, 4), after.Map.Members);
    }

    [Fact]
    public async Task Restart_MidTransition_SettledSlotsCountAsCopied()
    {
        var before = await JoiningFourthAsync();
        var transition = before.Map.Transition!;
        var gained = before.Map.GainedBy("node-4");
        var first = Half(gained);
        Assert.True(await before.SlotsSyncedAsync("node-4", transition.Id, first, 1, 1));

        var after = Start();
        var gainer = Assert.Single(after.Status().Gainers);

        Assert.Equal("node-4", gainer.Id);
        Assert.Equal(gained.Count, gainer.SlotsToCopy);
        Assert.Equal(first.Count, gainer.SlotsCopied);
        Assert.True(await after.SlotsSyncedAsync("node-4", transition.Id, gained.Except(first), 1, 1));
        Assert.True(after.Map.Transition!.Settled.IsFull);
    }

    [Fact]
    public async Task Status_DuringTransition_ReportsGainersAndSlotsAndRoundTrips()
    {
        var membership = await JoiningFourthAsync();
        var map = membership.Map;
        var transition = map.Transition!;
        var gained = map.GainedBy("node-4");
        var reported = Half(gained);
        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, reported, 42, 4200));
        _cluster.Clock.Advance(TimeSpan.FromSeconds(2));

        var status = membership.Status();
        var copy = RebalanceReport.FromJson(status.ToJson());

        foreach (var report in new[] { status, copy })
        {
            Assert.Equal(membership.Map.Epoch, report.Epoch);
            Assert.Equal("streaming", report.State);
            Assert.Equal(transition.Id, report.TransitionId);
            Assert.Equal(["node-1", "node-2", "node-3"], report.Members);
            Assert.Equal(TestCoordinator.Ids(1, 2, 3, 4), report.Target);
            Assert.Equal(gained.Count, report.SlotsMoving);
            Assert.Equal(reported.Count, report.SlotsSettled);
            Assert.Equal(gained.Count, report.SlotsToCopy);
            Assert.Equal(reported.Count, report.SlotsCopied);
            Assert.Equal(42, report.KeysMoved);
            Assert.Equal(4200, report.BytesMoved);
            Assert.Equal(2, report.ElapsedSeconds, 6);
            Assert.Equal(2100, report.BytesPerSecond, 6);
            Assert.NotNull(report.EtaSeconds);
            // The last finished transition is the one that brought node-3 in.
            Assert.NotNull(report.Last);
            Assert.True(report.Last.TransitionId < transition.Id);
            Assert.Equal(["node-3"], report.Last.Gainers);
            var gainer = Assert.Single(report.Gainers);
            Assert.Equal(new RebalanceReport.GainerReport("node-4", "joining", gained.Count, reported.Count, 42, 4200, null), gainer);
        }
        Assert.Equal(status.ToJson(), copy.ToJson());
    }

    [Fact]
    public async Task Status_AllSettled_Finishing()
    {
        var membership = await JoiningFourthAsync();
        var transition = membership.Map.Transition!;
        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, membership.Map.GainedBy("node-4"), 1, 1));

        var status = membership.Status();

        Assert.Equal("finishing", status.State);
        Assert.Equal(status.SlotsMoving, status.SlotsSettled);
        Assert.NotNull(Assert.Single(status.Gainers).FinishedAfterSeconds);
    }

    [Fact]
    public async Task Status_AfterTransition_IdleWithSummaryAndRoundTrips()
    {
        var membership = await JoiningFourthAsync();
        var transition = membership.Map.Transition!;
        var moving = membership.Map.MovingSlots().Count;
        await TestCoordinator.CompleteTransitionAsync(membership);

        var status = membership.Status();
        var copy = RebalanceReport.FromJson(status.ToJson());

        foreach (var report in new[] { status, copy })
        {
            Assert.Equal("idle", report.State);
            Assert.Null(report.TransitionId);
            Assert.Null(report.Target);
            Assert.Equal(TestCoordinator.Ids(1, 2, 3, 4), report.Members);
            Assert.Empty(report.Gainers);
            Assert.NotNull(report.Last);
            Assert.Equal(transition.Id, report.Last.TransitionId);
            Assert.Equal(moving, report.Last.SlotsMoved);
            Assert.Equal(["node-4"], report.Last.Gainers);
            Assert.False(report.Last.Aborted);
            Assert.True(report.Last.KeysMoved > 0);
        }
        Assert.Equal(status.ToJson(), copy.ToJson());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("null")]
    [InlineData("{\"epoch\": \"seven\"}")]
    public void RebalanceReport_FromJsonGarbage_FormatException(string json) =>
        Assert.Throws<FormatException>(() => RebalanceReport.FromJson(json));
}
