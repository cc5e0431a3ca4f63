using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;

namespace RingKV.Cluster.Tests;

/// <summary>Registration, heartbeats, failure detection, decommission and restarts; transitions in detail are in <see cref="MembershipTransitionTests"/>.</summary>
public sealed class MembershipTests : IDisposable
{
    private const int HashSlotLast = Placement.HashSlot.Count - 1;

    private static readonly TimeSpan Timeout = TestCoordinator.FailureTimeout;

    private readonly TestCoordinator _cluster = new();

    public void Dispose() => _cluster.Dispose();

    private ManualTimeProvider Clock => _cluster.Clock;

    private Membership Start() => _cluster.Start();

    /// <summary>A stable ring of node-1, node-2, node-3 (every join driven to completion).</summary>
    private Task<Membership> WithThreeNodesAsync() => TestCoordinator.RingAsync(Start(), 3);

    private static NodeState StateOf(Membership membership, string id) => membership.Map.Find(id)!.State;

    [Fact]
    public void Constructor_NoSavedMap_EmptyMapWithOptions()
    {
        var membership = Start();

        Assert.Equal(0, membership.Map.Epoch);
        Assert.Empty(membership.Map.Nodes);
        Assert.Empty(membership.Map.Members);
        Assert.Null(membership.Map.Transition);
        Assert.Equal(2, membership.Map.ReplicationFactor);
        Assert.Equal(TestMaps.VirtualNodes, membership.Map.VirtualNodesPerNode);
        Assert.Equal(Timeout, membership.FailureTimeout);
        Assert.Equal(new CoordinatorOptions().RemovalTimeout, membership.RemovalTimeout);
    }

    [Fact]
    public async Task Register_FirstNode_FormsRingAtOnce()
    {
        var membership = Start();

        var map = await TestCoordinator.RegisterAsync(membership, 1);

        Assert.Same(membership.Map, map);
        Assert.True(map.Epoch > 0);
        Assert.Equal<string>(["node-1"], map.Members);
        Assert.Null(map.Transition);
        Assert.Equal(MemberStatus.Member, map.StatusOf("node-1"));
        Assert.Equal(["node-1"], map.PreferenceList(0).Select(n => n.Id));
        Assert.Equal(["node-1"], map.PreferenceList(HashSlotLast).Select(n => n.Id));
    }

    [Fact]
    public async Task Register_ThreeNodes_EpochsIncreaseAndAllUp()
    {
        var membership = Start();

        var epochs = new[]
        {
            (await TestCoordinator.RegisterAsync(membership, 1)).Epoch,
            (await TestCoordinator.RegisterAsync(membership, 2)).Epoch,
            (await TestCoordinator.RegisterAsync(membership, 3)).Epoch,
        };

        Assert.True(epochs[0] > 0);
        Assert.True(epochs[1] > epochs[0]);
        Assert.True(epochs[2] > epochs[1]);
        Assert.Equal(["node-1", "node-2", "node-3"], membership.Map.Nodes.Select(n => n.Id));
        Assert.All(membership.Map.Nodes, n => Assert.Equal(NodeState.Up, n.State));
        Assert.All(membership.Map.Nodes, n => Assert.False(n.Leaving));
        Assert.Equal("127.0.0.1:5002", membership.Map.Find("node-2")!.Endpoint);
    }

    [Fact]
    public async Task Register_ThreeNodesDrivenToCompletion_AllMembers()
    {
        var membership = await WithThreeNodesAsync();

        Assert.Equal<string>(["node-1", "node-2", "node-3"], membership.Map.Members);
        Assert.All(membership.Map.Nodes, n => Assert.Equal(MemberStatus.Member, membership.Map.StatusOf(n.Id)));
        Assert.Equal("idle", membership.Status().State);
    }

    [Fact]
    public async Task Register_IdenticalNodeAgain_EpochUnchanged()
    {
        var membership = await WithThreeNodesAsync();
        var epoch = membership.Map.Epoch;

        var map = await TestCoordinator.RegisterAsync(membership, 2);

        Assert.Equal(epoch, map.Epoch);
        Assert.Same(map, membership.Map);
    }

    [Fact]
    public async Task Register_SameIdNewEndpoint_UpdatesEndpointAndEpochButNotMembership()
    {
        var membership = await WithThreeNodesAsync();
        var epoch = membership.Map.Epoch;

        var map = await membership.RegisterAsync("node-2", "10.0.0.2", 6002);

        Assert.Equal(epoch + 1, map.Epoch);
        Assert.Equal(3, map.Nodes.Length);
        Assert.Equal("10.0.0.2:6002", map.Find("node-2")!.Endpoint);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], map.Members);
        Assert.Null(map.Transition);
    }

    [Fact]
    public async Task DetectFailures_SilentPastTimeout_MarksOnlySilentNodeDown()
    {
        var membership = await WithThreeNodesAsync();
        var epoch = membership.Map.Epoch;

        Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(await membership.HeartbeatAsync("node-1"));
        Assert.True(await membership.HeartbeatAsync("node-2"));
        Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(await membership.HeartbeatAsync("node-1"));
        Assert.True(await membership.HeartbeatAsync("node-2"));
        await membership.DetectFailuresAsync();

        Assert.Equal(epoch + 1, membership.Map.Epoch);
        Assert.Equal(NodeState.Up, StateOf(membership, "node-1"));
        Assert.Equal(NodeState.Up, StateOf(membership, "node-2"));
        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));
    }

    [Fact]
    public async Task DetectFailures_DownNode_StaysInTheRing()
    {
        var membership = await WithThreeNodesAsync();

        await _cluster.AdvanceWhileHeartbeatingAsync(membership, Timeout + TimeSpan.FromSeconds(5), "node-3");
        await membership.TickAsync();

        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));
        Assert.False(membership.Map.Find("node-3")!.Leaving);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], membership.Map.Members);
        Assert.Null(membership.Map.Transition);
    }

    [Fact]
    public async Task DetectFailures_ExactlyAtTimeout_StillUp()
    {
        var membership = await WithThreeNodesAsync();
        var epoch = membership.Map.Epoch;

        Clock.Advance(Timeout);
        await membership.DetectFailuresAsync();

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.All(membership.Map.Nodes, n => Assert.True(n.IsUp));
    }

    [Fact]
    public async Task DetectFailures_AlreadyDown_NoNewEpoch()
    {
        var membership = await WithThreeNodesAsync();
        Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        await membership.DetectFailuresAsync();
        var epoch = membership.Map.Epoch;

        Clock.Advance(Timeout);
        await membership.DetectFailuresAsync();

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.All(membership.Map.Nodes, n => Assert.Equal(NodeState.Down, n.State));
    }

    [Fact]
    public async Task Heartbeat_FromDownNode_MarksItUpWithNewEpoch()
    {
        var membership = await WithThreeNodesAsync();
        Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        await membership.HeartbeatAsync("node-1");
        await membership.HeartbeatAsync("node-2");
        await membership.DetectFailuresAsync();
        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));
        var downEpoch = membership.Map.Epoch;

        Assert.True(await membership.HeartbeatAsync("node-3"));

        Assert.Equal(NodeState.Up, StateOf(membership, "node-3"));
        Assert.Equal(downEpoch + 1, membership.Map.Epoch);
    }

    [Fact]
    public async Task Heartbeat_FromUpNode_EpochUnchanged()
    {
        var membership = await WithThreeNodesAsync();
        var epoch = membership.Map.Epoch;

        Assert.True(await membership.HeartbeatAsync("node-1", epoch));

        Assert.Equal(epoch, membership.Map.Epoch);
    }

    [Fact]
    public async Task Heartbeat_UnknownId_ReturnsFalse()
    {
        var membership = await WithThreeNodesAsync();
        var epoch = membership.Map.Epoch;

        Assert.False(await membership.HeartbeatAsync("node-9"));
        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.Null(membership.Map.Find("node-9"));
    }

    [Fact]
    public async Task Heartbeat_OlderEpochAfterNewer_BarrierKeepsTheNewer()
    {
        var membership = await WithThreeNodesAsync();
        var epoch = membership.Map.Epoch;
        await TestCoordinator.ConfirmEpochAsync(membership);

        await membership.HeartbeatAsync("node-1", epoch - 1);

        Assert.Equal(epoch, membership.Barrier);
    }

    [Fact]
    public async Task Register_DownNode_MarksItUp()
    {
        var membership = await WithThreeNodesAsync();
        Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        await membership.DetectFailuresAsync();

        await TestCoordinator.RegisterAsync(membership, 2);

        Assert.Equal(NodeState.Up, StateOf(membership, "node-2"));
        Assert.Equal(NodeState.Down, StateOf(membership, "node-1"));
        Assert.Equal<string>(["node-1", "node-2", "node-3"], membership.Map.Members);
        Assert.Null(membership.Map.Transition);
    }

    [Fact]
    public async Task Decommission_Member_StartsTransitionWhereItLeaves()
    {
        var membership = await WithThreeNodesAsync();
        var epoch = membership.Map.Epoch;

        Assert.Equal(DecommissionResult.Accepted, await membership.DecommissionAsync("node-2"));

        var map = membership.Map;
        Assert.True(map.Epoch > epoch);
        Assert.True(map.Find("node-2")!.Leaving);
        Assert.Equal(MemberStatus.Leaving, map.StatusOf("node-2"));
        Assert.Equal<string>(["node-1", "node-2", "node-3"], map.Members);
        Assert.NotNull(map.Transition);
        Assert.Equal<string>(["node-1", "node-3"], map.Transition.Target);
        Assert.False(map.Transition.Aborting);
        Assert.Empty(map.GainedBy("node-2"));
        Assert.False(map.GainedBy("node-1").Union(map.GainedBy("node-3")).IsEmpty);
    }

    [Fact]
    public async Task Decommission_Member_GoneAfterTransition()
    {
        var membership = await WithThreeNodesAsync();
        await membership.DecommissionAsync("node-2");

        await TestCoordinator.CompleteTransitionAsync(membership);

        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(["node-1", "node-3"], membership.Map.Members);
        Assert.Equal(["node-1", "node-3"], membership.Map.Nodes.Select(n => n.Id));
        Assert.Null(membership.Map.Find("node-2"));
        Assert.False(await membership.HeartbeatAsync("node-2"));
    }

    [Fact]
    public async Task Decommission_ThenSilence_RemovedNodeNeverReported()
    {
        var membership = await WithThreeNodesAsync();
        await membership.DecommissionAsync("node-3");
        await TestCoordinator.CompleteTransitionAsync(membership);
        var epoch = membership.Map.Epoch;

        await _cluster.AdvanceWhileHeartbeatingAsync(membership, Timeout + TimeSpan.FromSeconds(5));
        await membership.TickAsync();

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.Null(membership.Map.Find("node-3"));
        Assert.Equal(["node-1", "node-2"], membership.Map.Nodes.Select(n => n.Id));
    }

    [Fact]
    public async Task Decommission_DownMember_TransitionFinishesWithoutIt()
    {
        var membership = await WithThreeNodesAsync();
        await _cluster.AdvanceWhileHeartbeatingAsync(membership, Timeout + TimeSpan.FromSeconds(5), "node-3");
        await membership.TickAsync();
        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));

        Assert.Equal(DecommissionResult.Accepted, await membership.DecommissionAsync("node-3"));
        await TestCoordinator.CompleteTransitionAsync(membership);

        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(["node-1", "node-2"], membership.Map.Members);
        Assert.Null(membership.Map.Find("node-3"));
    }

    [Fact]
    public async Task Decommission_UnknownNode_RefusedWithoutNewEpoch()
    {
        var membership = await WithThreeNodesAsync();
        var epoch = membership.Map.Epoch;

        Assert.Equal(DecommissionResult.UnknownNode, await membership.DecommissionAsync("node-9"));
        Assert.Equal(epoch, membership.Map.Epoch);
    }

    [Fact]
    public async Task Decommission_Twice_AlreadyLeaving()
    {
        var membership = await WithThreeNodesAsync();
        await membership.DecommissionAsync("node-2");
        var epoch = membership.Map.Epoch;

        Assert.Equal(DecommissionResult.AlreadyLeaving, await membership.DecommissionAsync("node-2"));
        Assert.Equal(epoch, membership.Map.Epoch);
    }

    [Fact]
    public async Task Decommission_OnlyNode_LastNode()
    {
        var membership = await TestCoordinator.RingAsync(Start(), 1);
        var epoch = membership.Map.Epoch;

        Assert.Equal(DecommissionResult.LastNode, await membership.DecommissionAsync("node-1"));

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.False(membership.Map.Find("node-1")!.Leaving);
        Assert.Equal<string>(["node-1"], membership.Map.Members);
    }

    [Fact]
    public async Task Decommission_LastNodeNotLeaving_LastNode()
    {
        var membership = await TestCoordinator.RingAsync(Start(), 2);
        Assert.Equal(DecommissionResult.Accepted, await membership.DecommissionAsync("node-1"));

        Assert.Equal(DecommissionResult.LastNode, await membership.DecommissionAsync("node-2"));

        await TestCoordinator.CompleteTransitionAsync(membership);
        Assert.Equal<string>(["node-2"], membership.Map.Members);
        Assert.Equal(["node-2"], membership.Map.Nodes.Select(n => n.Id));
    }

    [Fact]
    public async Task Restart_LoadsPersistedMap()
    {
        var before = await WithThreeNodesAsync();
        Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        await before.HeartbeatAsync("node-1");
        await before.HeartbeatAsync("node-2");
        await before.DetectFailuresAsync();

        var after = Start();

        Assert.Equal(before.Map.Epoch, after.Map.Epoch);
        Assert.Equal<NodeEntry>(before.Map.Nodes, after.Map.Nodes);
        Assert.Equal<string>(before.Map.Members, after.Map.Members);
        Assert.Null(after.Map.Transition);
        Assert.Equal(NodeState.Down, StateOf(after, "node-3"));
    }

    [Fact]
    public async Task Restart_NextChange_ContinuesFromPersistedEpoch()
    {
        var epoch = (await WithThreeNodesAsync()).Map.Epoch;

        var after = Start();
        await TestCoordinator.RegisterAsync(after, 4);

        Assert.True(after.Map.Epoch > epoch);
        Assert.True(after.Map.Transition!.Id > epoch);
    }

    [Fact]
    public async Task Restart_KnownNodesGetGracePeriod()
    {
        var epoch = (await WithThreeNodesAsync()).Map.Epoch;
        // The coordinator was down for a long time; the nodes' silence meanwhile says nothing about them.
        Clock.Advance(TimeSpan.FromMinutes(5));

        var after = Start();
        await after.DetectFailuresAsync();

        Assert.Equal(epoch, after.Map.Epoch);
        Assert.All(after.Map.Nodes, n => Assert.True(n.IsUp));

        Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        await after.HeartbeatAsync("node-1");
        await after.DetectFailuresAsync();

        Assert.Equal(NodeState.Up, StateOf(after, "node-1"));
        Assert.Equal(NodeState.Down, StateOf(after, "node-2"));
        Assert.Equal(NodeState.Down, StateOf(after, "node-3"));
    }

    [Fact]
    public async Task Restart_BarrierWaitsForFreshHeartbeats()
    {
        var before = await WithThreeNodesAsync();
        await TestCoordinator.ConfirmEpochAsync(before);
        Assert.Equal(before.Map.Epoch, before.Barrier);

        var after = Start();

        // What nodes confirmed to the previous process is not persisted: nothing is known to be seen until they say so.
        Assert.True(after.Barrier < after.Map.Epoch);
        await TestCoordinator.ConfirmEpochAsync(after);
        Assert.Equal(after.Map.Epoch, after.Barrier);
    }
}
