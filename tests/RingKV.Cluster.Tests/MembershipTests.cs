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
    private Membership WithThreeNodes() => TestCoordinator.Ring(Start(), 3);

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
    public void Register_FirstNode_FormsRingAtOnce()
    {
        var membership = Start();

        var map = TestCoordinator.Register(membership, 1);

        Assert.Same(membership.Map, map);
        Assert.True(map.Epoch > 0);
        Assert.Equal<string>(["node-1"], map.Members);
        Assert.Null(map.Transition);
        Assert.Equal(MemberStatus.Member, map.StatusOf("node-1"));
        Assert.Equal(["node-1"], map.PreferenceList(0).Select(n => n.Id));
        Assert.Equal(["node-1"], map.PreferenceList(HashSlotLast).Select(n => n.Id));
    }

    [Fact]
    public void Register_ThreeNodes_EpochsIncreaseAndAllUp()
    {
        var membership = Start();

        var epochs = new[]
        {
            TestCoordinator.Register(membership, 1).Epoch,
            TestCoordinator.Register(membership, 2).Epoch,
            TestCoordinator.Register(membership, 3).Epoch,
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
    public void Register_ThreeNodesDrivenToCompletion_AllMembers()
    {
        var membership = WithThreeNodes();

        Assert.Equal<string>(["node-1", "node-2", "node-3"], membership.Map.Members);
        Assert.All(membership.Map.Nodes, n => Assert.Equal(MemberStatus.Member, membership.Map.StatusOf(n.Id)));
        Assert.Equal("idle", membership.Status().State);
    }

    [Fact]
    public void Register_IdenticalNodeAgain_EpochUnchanged()
    {
        var membership = WithThreeNodes();
        var epoch = membership.Map.Epoch;

        var map = TestCoordinator.Register(membership, 2);

        Assert.Equal(epoch, map.Epoch);
        Assert.Same(map, membership.Map);
    }

    [Fact]
    public void Register_SameIdNewEndpoint_UpdatesEndpointAndEpochButNotMembership()
    {
        var membership = WithThreeNodes();
        var epoch = membership.Map.Epoch;

        var map = membership.Register("node-2", "10.0.0.2", 6002);

        Assert.Equal(epoch + 1, map.Epoch);
        Assert.Equal(3, map.Nodes.Length);
        Assert.Equal("10.0.0.2:6002", map.Find("node-2")!.Endpoint);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], map.Members);
        Assert.Null(map.Transition);
    }

    [Fact]
    public void DetectFailures_SilentPastTimeout_MarksOnlySilentNodeDown()
    {
        var membership = WithThreeNodes();
        var epoch = membership.Map.Epoch;

        Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(membership.Heartbeat("node-1"));
        Assert.True(membership.Heartbeat("node-2"));
        Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(membership.Heartbeat("node-1"));
        Assert.True(membership.Heartbeat("node-2"));
        membership.DetectFailures();

        Assert.Equal(epoch + 1, membership.Map.Epoch);
        Assert.Equal(NodeState.Up, StateOf(membership, "node-1"));
        Assert.Equal(NodeState.Up, StateOf(membership, "node-2"));
        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));
    }

    [Fact]
    public void DetectFailures_DownNode_StaysInTheRing()
    {
        var membership = WithThreeNodes();

        _cluster.AdvanceWhileHeartbeating(membership, Timeout + TimeSpan.FromSeconds(5), "node-3");
        membership.Tick();

        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));
        Assert.False(membership.Map.Find("node-3")!.Leaving);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], membership.Map.Members);
        Assert.Null(membership.Map.Transition);
    }

    [Fact]
    public void DetectFailures_ExactlyAtTimeout_StillUp()
    {
        var membership = WithThreeNodes();
        var epoch = membership.Map.Epoch;

        Clock.Advance(Timeout);
        membership.DetectFailures();

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.All(membership.Map.Nodes, n => Assert.True(n.IsUp));
    }

    [Fact]
    public void DetectFailures_AlreadyDown_NoNewEpoch()
    {
        var membership = WithThreeNodes();
        Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        membership.DetectFailures();
        var epoch = membership.Map.Epoch;

        Clock.Advance(Timeout);
        membership.DetectFailures();

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.All(membership.Map.Nodes, n => Assert.Equal(NodeState.Down, n.State));
    }

    [Fact]
    public void Heartbeat_FromDownNode_MarksItUpWithNewEpoch()
    {
        var membership = WithThreeNodes();
        Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        membership.Heartbeat("node-1");
        membership.Heartbeat("node-2");
        membership.DetectFailures();
        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));
        var downEpoch = membership.Map.Epoch;

        Assert.True(membership.Heartbeat("node-3"));

        Assert.Equal(NodeState.Up, StateOf(membership, "node-3"));
        Assert.Equal(downEpoch + 1, membership.Map.Epoch);
    }

    [Fact]
    public void Heartbeat_FromUpNode_EpochUnchanged()
    {
        var membership = WithThreeNodes();
        var epoch = membership.Map.Epoch;

        Assert.True(membership.Heartbeat("node-1", epoch));

        Assert.Equal(epoch, membership.Map.Epoch);
    }

    [Fact]
    public void Heartbeat_UnknownId_ReturnsFalse()
    {
        var membership = WithThreeNodes();
        var epoch = membership.Map.Epoch;

        Assert.False(membership.Heartbeat("node-9"));
        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.Null(membership.Map.Find("node-9"));
    }

    [Fact]
    public void Heartbeat_OlderEpochAfterNewer_BarrierKeepsTheNewer()
    {
        var membership = WithThreeNodes();
        var epoch = membership.Map.Epoch;
        TestCoordinator.ConfirmEpoch(membership);

        membership.Heartbeat("node-1", epoch - 1);

        Assert.Equal(epoch, membership.Barrier);
    }

    [Fact]
    public void Register_DownNode_MarksItUp()
    {
        var membership = WithThreeNodes();
        Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        membership.DetectFailures();

        TestCoordinator.Register(membership, 2);

        Assert.Equal(NodeState.Up, StateOf(membership, "node-2"));
        Assert.Equal(NodeState.Down, StateOf(membership, "node-1"));
        Assert.Equal<string>(["node-1", "node-2", "node-3"], membership.Map.Members);
        Assert.Null(membership.Map.Transition);
    }

    [Fact]
    public void Decommission_Member_StartsTransitionWhereItLeaves()
    {
        var membership = WithThreeNodes();
        var epoch = membership.Map.Epoch;

        Assert.Equal(DecommissionResult.Accepted, membership.Decommission("node-2"));

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
    public void Decommission_Member_GoneAfterTransition()
    {
        var membership = WithThreeNodes();
        membership.Decommission("node-2");

        TestCoordinator.CompleteTransition(membership);

        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(["node-1", "node-3"], membership.Map.Members);
        Assert.Equal(["node-1", "node-3"], membership.Map.Nodes.Select(n => n.Id));
        Assert.Null(membership.Map.Find("node-2"));
        Assert.False(membership.Heartbeat("node-2"));
    }

    [Fact]
    public void Decommission_ThenSilence_RemovedNodeNeverReported()
    {
        var membership = WithThreeNodes();
        membership.Decommission("node-3");
        TestCoordinator.CompleteTransition(membership);
        var epoch = membership.Map.Epoch;

        _cluster.AdvanceWhileHeartbeating(membership, Timeout + TimeSpan.FromSeconds(5));
        membership.Tick();

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.Null(membership.Map.Find("node-3"));
        Assert.Equal(["node-1", "node-2"], membership.Map.Nodes.Select(n => n.Id));
    }

    [Fact]
    public void Decommission_DownMember_TransitionFinishesWithoutIt()
    {
        var membership = WithThreeNodes();
        _cluster.AdvanceWhileHeartbeating(membership, Timeout + TimeSpan.FromSeconds(5), "node-3");
        membership.Tick();
        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));

        Assert.Equal(DecommissionResult.Accepted, membership.Decommission("node-3"));
        TestCoordinator.CompleteTransition(membership);

        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(["node-1", "node-2"], membership.Map.Members);
        Assert.Null(membership.Map.Find("node-3"));
    }

    [Fact]
    public void Decommission_UnknownNode_RefusedWithoutNewEpoch()
    {
        var membership = WithThreeNodes();
        var epoch = membership.Map.Epoch;

        Assert.Equal(DecommissionResult.UnknownNode, membership.Decommission("node-9"));
        Assert.Equal(epoch, membership.Map.Epoch);
    }

    [Fact]
    public void Decommission_Twice_AlreadyLeaving()
    {
        var membership = WithThreeNodes();
        membership.Decommission("node-2");
        var epoch = membership.Map.Epoch;

        Assert.Equal(DecommissionResult.AlreadyLeaving, membership.Decommission("node-2"));
        Assert.Equal(epoch, membership.Map.Epoch);
    }

    [Fact]
    public void Decommission_OnlyNode_LastNode()
    {
        var membership = TestCoordinator.Ring(Start(), 1);
        var epoch = membership.Map.Epoch;

        Assert.Equal(DecommissionResult.LastNode, membership.Decommission("node-1"));

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.False(membership.Map.Find("node-1")!.Leaving);
        Assert.Equal<string>(["node-1"], membership.Map.Members);
    }

    [Fact]
    public void Decommission_LastNodeNotLeaving_LastNode()
    {
        var membership = TestCoordinator.Ring(Start(), 2);
        Assert.Equal(DecommissionResult.Accepted, membership.Decommission("node-1"));

        Assert.Equal(DecommissionResult.LastNode, membership.Decommission("node-2"));

        TestCoordinator.CompleteTransition(membership);
        Assert.Equal<string>(["node-2"], membership.Map.Members);
        Assert.Equal(["node-2"], membership.Map.Nodes.Select(n => n.Id));
    }

    [Fact]
    public void Restart_LoadsPersistedMap()
    {
        var before = WithThreeNodes();
        Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        before.Heartbeat("node-1");
        before.Heartbeat("node-2");
        before.DetectFailures();

        var after = Start();

        Assert.Equal(before.Map.Epoch, after.Map.Epoch);
        Assert.Equal<NodeEntry>(before.Map.Nodes, after.Map.Nodes);
        Assert.Equal<string>(before.Map.Members, after.Map.Members);
        Assert.Null(after.Map.Transition);
        Assert.Equal(NodeState.Down, StateOf(after, "node-3"));
    }

    [Fact]
    public void Restart_NextChange_ContinuesFromPersistedEpoch()
    {
        var epoch = WithThreeNodes().Map.Epoch;

        var after = Start();
        TestCoordinator.Register(after, 4);

        Assert.True(after.Map.Epoch > epoch);
        Assert.True(after.Map.Transition!.Id > epoch);
    }

    [Fact]
    public void Restart_KnownNodesGetGracePeriod()
    {
        var epoch = WithThreeNodes().Map.Epoch;
        // The coordinator was down for a long time; the nodes' silence meanwhile says nothing about them.
        Clock.Advance(TimeSpan.FromMinutes(5));

        var after = Start();
        after.DetectFailures();

        Assert.Equal(epoch, after.Map.Epoch);
        Assert.All(after.Map.Nodes, n => Assert.True(n.IsUp));

        Clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        after.Heartbeat("node-1");
        after.DetectFailures();

        Assert.Equal(NodeState.Up, StateOf(after, "node-1"));
        Assert.Equal(NodeState.Down, StateOf(after, "node-2"));
        Assert.Equal(NodeState.Down, StateOf(after, "node-3"));
    }

    [Fact]
    public void Restart_BarrierWaitsForFreshHeartbeats()
    {
        var before = WithThreeNodes();
        TestCoordinator.ConfirmEpoch(before);
        Assert.Equal(before.Map.Epoch, before.Barrier);

        var after = Start();

        // What nodes confirmed to the previous process is not persisted: nothing is known to be seen until they say so.
        Assert.True(after.Barrier < after.Map.Epoch);
        TestCoordinator.ConfirmEpoch(after);
        Assert.Equal(after.Map.Epoch, after.Barrier);
    }
}
