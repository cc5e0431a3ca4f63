using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.Cluster.Tests;

/// <summary>The coordinator's transitions: start, settle reports, the barrier, waiting changes, aborts (removal, restarts and status in the other part).</summary>
public sealed partial class MembershipTransitionTests : IDisposable
{
    private static readonly TimeSpan RemovalTimeout = TimeSpan.FromMinutes(1);

    private readonly TestCoordinator _cluster = new();

    public void Dispose() => _cluster.Dispose();

    private Membership Start() => _cluster.Start();

    private Task<Membership> WithThreeNodesAsync() => TestCoordinator.RingAsync(Start(), 3);

    /// <summary>A stable three-node ring that node-4 has just started joining.</summary>
    private async Task<Membership> JoiningFourthAsync()
    {
        var membership = await WithThreeNodesAsync();
        await TestCoordinator.RegisterAsync(membership, 4);
        Assert.NotNull(membership.Map.Transition);
        return membership;
    }

    /// <summary>Half (every other slot) of what the node gains: a partial report.</summary>
    private static SlotSet Half(SlotSet slots) => SlotSet.Of(slots.Where((_, i) => i % 2 == 0));

    [Fact]
    public async Task Register_SecondNode_StartsTransitionTowardsIt()
    {
        var membership = await TestCoordinator.RingAsync(Start(), 1);
        var epoch = membership.Map.Epoch;

        var map = await TestCoordinator.RegisterAsync(membership, 2);

        Assert.True(map.Epoch > epoch);
        Assert.Equal<string>(["node-1"], map.Members);
        Assert.NotNull(map.Transition);
        Assert.Equal(map.Epoch, map.Transition.Id);
        Assert.Equal<string>(["node-1", "node-2"], map.Transition.Target);
        Assert.False(map.Transition.Aborting);
        Assert.Equal(MemberStatus.Joining, map.StatusOf("node-2"));
        Assert.Equal(MemberStatus.Member, map.StatusOf("node-1"));
        Assert.False(map.GainedBy("node-2").IsEmpty);
        // Until it has copied anything, the joining node serves nothing.
        Assert.All(Enumerable.Range(0, HashSlot.Count), slot => Assert.Equal(["node-1"], map.PreferenceList(slot).Select(n => n.Id)));
    }

    [Fact]
    public async Task Register_FourthNode_SlotsNobodyGainsSettledFromTheStart()
    {
        var membership = await JoiningFourthAsync();
        var map = membership.Map;
        var gained = map.GainedBy("node-4");

        Assert.False(gained.IsEmpty);
        Assert.False(gained.IsFull);
        Assert.All(TestCoordinator.Ids(1, 2, 3), id => Assert.Empty(map.GainedBy(id)));
        Assert.Equal(SlotSet.All.Except(gained), map.Transition!.Settled);
        Assert.Equal(gained, map.MovingSlots());
    }

    [Fact]
    public async Task SlotsSynced_SingleGainer_SettlesExactlyTheReportedSlots()
    {
        var membership = await JoiningFourthAsync();
        var before = membership.Map;
        var transition = before.Transition!;
        var gained = before.GainedBy("node-4");
        var reported = Half(gained);

        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, reported, 10, 1000));

        var after = membership.Map;
        Assert.Equal(before.Epoch + 1, after.Epoch);
        Assert.Equal(transition.Settled.Union(reported), after.Transition!.Settled);
        Assert.Equal(transition.Id, after.Transition.Id);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], after.Members);
        // Settled slots are served by their target list, the others still by their current one.
        foreach (var slot in gained)
        {
            var list = after.PreferenceList(slot).Select(n => n.Id);
            if (reported.Contains(slot))
            {
                Assert.Contains("node-4", list);
            }
            else
            {
                Assert.DoesNotContain("node-4", list);
            }
        }
    }

    [Fact]
    public async Task SlotsSynced_SlotsOutsideWhatTheGainerGains_Ignored()
    {
        var membership = await JoiningFourthAsync();
        var transition = membership.Map.Transition!;
        var gained = membership.Map.GainedBy("node-4");
        var epoch = membership.Map.Epoch;

        // The slots it does not gain are settled already; reporting them changes nothing.
        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, SlotSet.All.Except(gained), 1, 1));
        Assert.Equal(epoch, membership.Map.Epoch);

        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, SlotSet.All, 1, 1));
        Assert.True(membership.Map.Transition!.Settled.IsFull);
    }

    [Fact]
    public async Task SlotsSynced_SameReportTwice_SecondChangesNothing()
    {
        var membership = await JoiningFourthAsync();
        var transition = membership.Map.Transition!;
        var reported = Half(membership.Map.GainedBy("node-4"));
        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, reported, 10, 1000));
        var epoch = membership.Map.Epoch;

        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, reported, 10, 1000));

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.Equal(10, membership.Status().KeysMoved);
        Assert.Equal(1000, membership.Status().BytesMoved);
    }

    [Fact]
    public async Task SlotsSynced_WrongTransitionId_Refused()
    {
        var membership = await JoiningFourthAsync();
        var transition = membership.Map.Transition!;
        var gained = membership.Map.GainedBy("node-4");
        var epoch = membership.Map.Epoch;

        Assert.False(await membership.SlotsSyncedAsync("node-4", transition.Id + 1, gained, 1, 1));
        Assert.False(await membership.SlotsSyncedAsync("node-4", transition.Id - 1, gained, 1, 1));

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.Equal(transition.Settled, membership.Map.Transition!.Settled);
    }

    [Fact]
    public async Task SlotsSynced_FromNonGainer_Refused()
    {
        var membership = await JoiningFourthAsync();
        var transition = membership.Map.Transition!;
        var gained = membership.Map.GainedBy("node-4");
        var epoch = membership.Map.Epoch;
        Assert.Empty(membership.Map.GainedBy("node-1"));

        Assert.False(await membership.SlotsSyncedAsync("node-1", transition.Id, gained, 1, 1));
        Assert.False(await membership.SlotsSyncedAsync("node-9", transition.Id, gained, 1, 1));

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.Equal(transition.Settled, membership.Map.Transition!.Settled);
    }

    [Fact]
    public async Task SlotsSynced_NoTransition_Refused()
    {
        var membership = await WithThreeNodesAsync();
        var epoch = membership.Map.Epoch;

        Assert.False(await membership.SlotsSyncedAsync("node-1", epoch, SlotSet.All, 1, 1));
        Assert.Equal(epoch, membership.Map.Epoch);
    }

    [Fact]
    public async Task Tick_AllSettledButLiveNodeHasNotConfirmedEpoch_TransitionWaits()
    {
        var membership = await JoiningFourthAsync();
        var transition = membership.Map.Transition!;
        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, membership.Map.GainedBy("node-4"), 1, 1));
        Assert.True(membership.Map.Transition!.Settled.IsFull);
        var epoch = membership.Map.Epoch;
        foreach (var id in TestCoordinator.Ids(1, 2, 4))
        {
            await membership.HeartbeatAsync(id, epoch);
        }
        await membership.HeartbeatAsync("node-3", transition.Id);
        Assert.True(membership.Barrier < epoch);

        await membership.TickAsync();

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.NotNull(membership.Map.Transition);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], membership.Map.Members);

        await membership.HeartbeatAsync("node-3", epoch);
        Assert.Equal(epoch, membership.Barrier);
        await membership.TickAsync();

        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(["node-1", "node-2", "node-3", "node-4"], membership.Map.Members);
        Assert.All(membership.Map.Nodes, n => Assert.Equal(MemberStatus.Member, membership.Map.StatusOf(n.Id)));
    }

    [Fact]
    public async Task Tick_NotAllSettled_TransitionWaitsEvenWithBarrier()
    {
        var membership = await JoiningFourthAsync();
        var transition = membership.Map.Transition!;
        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, Half(membership.Map.GainedBy("node-4")), 1, 1));
        await TestCoordinator.ConfirmEpochAsync(membership);

        await membership.TickAsync();

        Assert.NotNull(membership.Map.Transition);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], membership.Map.Members);
    }

    [Fact]
    public async Task Tick_DownNode_DoesNotHoldTheBarrier()
    {
        var membership = await JoiningFourthAsync();
        await _cluster.AdvanceWhileHeartbeatingAsync(membership, TestCoordinator.FailureTimeout + TimeSpan.FromSeconds(5), "node-3");
        await membership.TickAsync();
        Assert.Equal(NodeState.Down, membership.Map.Find("node-3")!.State);
        var transition = membership.Map.Transition!;
        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, membership.Map.GainedBy("node-4"), 1, 1));
        var epoch = membership.Map.Epoch;
        foreach (var id in TestCoordinator.Ids(1, 2, 4))
        {
            await membership.HeartbeatAsync(id, epoch);
        }

        Assert.Equal(epoch, membership.Barrier);
        await membership.TickAsync();

        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(["node-1", "node-2", "node-3", "node-4"], membership.Map.Members);
        Assert.Equal(NodeState.Down, membership.Map.Find("node-3")!.State);
    }

    [Fact]
    public async Task Register_DuringTransition_WaitsThenJoinsInTheNext()
    {
        var membership = await JoiningFourthAsync();
        var first = membership.Map.Transition!;

        await TestCoordinator.RegisterAsync(membership, 5);

        var map = membership.Map;
        Assert.Equal(MemberStatus.Waiting, map.StatusOf("node-5"));
        Assert.Equal(first.Id, map.Transition!.Id);
        Assert.Equal<string>(first.Target, map.Transition.Target);
        Assert.Empty(map.GainedBy("node-5"));
        Assert.All(Enumerable.Range(0, HashSlot.Count), slot => Assert.DoesNotContain("node-5", map.WriteReplicas(slot).All.Select(n => n.Id)));

        await TestCoordinator.CompleteTransitionAsync(membership);

        map = membership.Map;
        Assert.Equal<string>(["node-1", "node-2", "node-3", "node-4"], map.Members);
        Assert.NotNull(map.Transition);
        Assert.True(map.Transition.Id > first.Id);
        Assert.Equal<string>(TestCoordinator.Ids(1, 2, 3, 4, 5), map.Transition.Target);
        Assert.Equal(MemberStatus.Joining, map.StatusOf("node-5"));

        await TestCoordinator.CompleteTransitionAsync(membership);

        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(TestCoordinator.Ids(1, 2, 3, 4, 5), membership.Map.Members);
    }

    [Fact]
    public async Task Decommission_WaitingNode_RemovedAfterTheRunningTransition()
    {
        var membership = await JoiningFourthAsync();
        await TestCoordinator.RegisterAsync(membership, 5);

        Assert.Equal(DecommissionResult.Accepted, await membership.DecommissionAsync("node-5"));
        Assert.False(membership.Map.Transition!.Aborting);

        await TestCoordinator.CompleteTransitionAsync(membership);

        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(TestCoordinator.Ids(1, 2, 3, 4), membership.Map.Members);
        Assert.Null(membership.Map.Find("node-5"));
    }

    [Fact]
    public async Task Decommission_MemberDuringTransition_LeavesInTheNext()
    {
        var membership = await JoiningFourthAsync();

        Assert.Equal(DecommissionResult.Accepted, await membership.DecommissionAsync("node-1"));
        Assert.False(membership.Map.Transition!.Aborting);
        Assert.Contains("node-1", membership.Map.Transition.Target);

        await TestCoordinator.CompleteTransitionAsync(membership);
        Assert.Equal<string>(TestCoordinator.Ids(1, 2, 3, 4), membership.Map.Members);
        Assert.Equal<string>(TestCoordinator.Ids(2, 3, 4), membership.Map.Transition!.Target);
        Assert.Equal(MemberStatus.Leaving, membership.Map.StatusOf("node-1"));

        await TestCoordinator.CompleteTransitionAsync(membership);
        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(TestCoordinator.Ids(2, 3, 4), membership.Map.Members);
        Assert.Null(membership.Map.Find("node-1"));
    }

    [Fact]
    public async Task Decommission_JoiningNode_AbortsThenDropsTransitionAfterBarrier()
    {
        var membership = await JoiningFourthAsync();
        var transition = membership.Map.Transition!;
        Assert.True(await membership.SlotsSyncedAsync("node-4", transition.Id, Half(membership.Map.GainedBy("node-4")), 1, 1));
        Assert.NotEqual(transition.Settled, membership.Map.Transition!.Settled);

        Assert.Equal(DecommissionResult.Accepted, await membership.DecommissionAsync("node-4"));

        var aborting = membership.Map;
        Assert.NotNull(aborting.Transition);
        Assert.True(aborting.Transition.Aborting);
        Assert.Equal(transition.Id, aborting.Transition.Id);
        Assert.Equal(SlotSet.All.Except(aborting.MovingSlots()), aborting.Transition.Settled);
        Assert.Equal(transition.Settled, aborting.Transition.Settled);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], aborting.Members);
        // Every slot is read from its current list again.
        Assert.All(Enumerable.Range(0, HashSlot.Count), slot => Assert.DoesNotContain("node-4", aborting.PreferenceList(slot).Select(n => n.Id)));
        Assert.False(await membership.SlotsSyncedAsync("node-4", transition.Id, membership.Map.GainedBy("node-4"), 1, 1));
        Assert.Equal("aborting", membership.Status().State);

        await membership.TickAsync();
        Assert.Equal(aborting.Epoch, membership.Map.Epoch);
        Assert.True(membership.Map.Transition!.Aborting);

        await TestCoordinator.ConfirmEpochAsync(membership);
        await membership.TickAsync();

        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], membership.Map.Members);
        Assert.Null(membership.Map.Find("node-4"));
        var status = membership.Status();
        Assert.Equal("idle", status.State);
        Assert.NotNull(status.Last);
        Assert.True(status.Last.Aborted);
        Assert.Equal(transition.Id, status.Last.TransitionId);
    }

    [Fact]
    public async Task Decommission_JoiningNodeWithAnotherWaiting_AbortThenNextTransitionForTheWaitingNode()
    {
        var membership = await JoiningFourthAsync();
        var first = membership.Map.Transition!;
        await TestCoordinator.RegisterAsync(membership, 5);

        Assert.Equal(DecommissionResult.Accepted, await membership.DecommissionAsync("node-4"));
        Assert.True(membership.Map.Transition!.Aborting);
        await TestCoordinator.ConfirmEpochAsync(membership);
        await membership.TickAsync();

        var map = membership.Map;
        Assert.Equal<string>(["node-1", "node-2", "node-3"], map.Members);
        Assert.Null(map.Find("node-4"));
        Assert.NotNull(map.Transition);
        Assert.False(map.Transition.Aborting);
        Assert.True(map.Transition.Id > first.Id);
        Assert.Equal<string>(TestCoordinator.Ids(1, 2, 3, 5), map.Transition.Target);
        Assert.Equal(MemberStatus.Joining, map.StatusOf("node-5"));

        await TestCoordinator.CompleteTransitionAsync(membership);
        Assert.Equal<string>(TestCoordinator.Ids(1, 2, 3, 5), membership.Map.Members);
    }

    [Fact]
    public async Task Decommission_LeavingMemberThenTheJoiningNode_RingNeverEmpties()
    {
        // node-1 is the only member; node-2 joins, then both are asked to leave. node-1's data must stay somewhere.
        var membership = await TestCoordinator.RingAsync(Start(), 1);
        await TestCoordinator.RegisterAsync(membership, 2);
        Assert.Equal(DecommissionResult.Accepted, await membership.DecommissionAsync("node-1"));

        await membership.DecommissionAsync("node-2");
        for (var i = 0; i < 4; i++)
        {
            await TestCoordinator.ConfirmEpochAsync(membership);
            await membership.TickAsync();
        }

        Assert.NotEmpty(membership.Map.Members);
        Assert.NotEmpty(membership.Map.Nodes);
    }
}
