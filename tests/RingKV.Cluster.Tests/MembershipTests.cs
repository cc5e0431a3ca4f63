using Microsoft.Extensions.Logging.Abstractions;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;

namespace RingKV.Cluster.Tests;

public sealed class MembershipTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new();

    public void Dispose() => _directory.Dispose();

    private CoordinatorOptions Options => new()
    {
        DataDirectory = _directory.Path,
        FailureTimeout = Timeout,
        ReplicationFactor = 2,
        VirtualNodesPerNode = TestMaps.VirtualNodes,
    };

    /// <summary>A coordinator's membership over the test directory, as if the process had just started.</summary>
    private Membership Start() => new(Options, new MapFile(_directory.Path), NullLogger.Instance, _clock);

    private static Membership WithThreeNodes(Membership membership)
    {
        membership.Register("node-1", "127.0.0.1", 5001);
        membership.Register("node-2", "127.0.0.1", 5002);
        membership.Register("node-3", "127.0.0.1", 5003);
        return membership;
    }

    private static NodeState StateOf(Membership membership, string id) => membership.Map.Find(id)!.State;

    [Fact]
    public void Constructor_NoSavedMap_EmptyMapWithOptions()
    {
        var membership = Start();

        Assert.Equal(0, membership.Map.Epoch);
        Assert.Empty(membership.Map.Nodes);
        Assert.Equal(2, membership.Map.ReplicationFactor);
        Assert.Equal(TestMaps.VirtualNodes, membership.Map.VirtualNodesPerNode);
        Assert.Equal(Timeout, membership.FailureTimeout);
    }

    [Fact]
    public void Register_ThreeNodes_EpochsIncreaseAndAllUp()
    {
        var membership = Start();

        var epochs = new[]
        {
            membership.Register("node-1", "127.0.0.1", 5001).Epoch,
            membership.Register("node-2", "127.0.0.1", 5002).Epoch,
            membership.Register("node-3", "127.0.0.1", 5003).Epoch,
        };

        Assert.Equal([1, 2, 3], epochs);
        Assert.Equal(["node-1", "node-2", "node-3"], membership.Map.Nodes.Select(n => n.Id));
        Assert.All(membership.Map.Nodes, n => Assert.Equal(NodeState.Up, n.State));
        Assert.Equal("127.0.0.1:5002", membership.Map.Find("node-2")!.Endpoint);
    }

    [Fact]
    public void Register_IdenticalNodeAgain_EpochUnchanged()
    {
        var membership = WithThreeNodes(Start());

        var map = membership.Register("node-2", "127.0.0.1", 5002);

        Assert.Equal(3, map.Epoch);
        Assert.Same(map, membership.Map);
    }

    [Fact]
    public void Register_SameIdNewEndpoint_UpdatesEndpointAndEpoch()
    {
        var membership = WithThreeNodes(Start());

        var map = membership.Register("node-2", "10.0.0.2", 6002);

        Assert.Equal(4, map.Epoch);
        Assert.Equal(3, map.Nodes.Length);
        Assert.Equal("10.0.0.2:6002", map.Find("node-2")!.Endpoint);
    }

    [Fact]
    public void DetectFailures_SilentPastTimeout_MarksOnlySilentNodeDown()
    {
        var membership = WithThreeNodes(Start());

        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(membership.Heartbeat("node-1"));
        Assert.True(membership.Heartbeat("node-2"));
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(membership.Heartbeat("node-1"));
        Assert.True(membership.Heartbeat("node-2"));
        membership.DetectFailures();

        Assert.Equal(4, membership.Map.Epoch);
        Assert.Equal(NodeState.Up, StateOf(membership, "node-1"));
        Assert.Equal(NodeState.Up, StateOf(membership, "node-2"));
        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));
    }

    [Fact]
    public void DetectFailures_ExactlyAtTimeout_StillUp()
    {
        var membership = WithThreeNodes(Start());

        _clock.Advance(Timeout);
        membership.DetectFailures();

        Assert.Equal(3, membership.Map.Epoch);
        Assert.All(membership.Map.Nodes, n => Assert.True(n.IsUp));
    }

    [Fact]
    public void DetectFailures_AlreadyDown_NoNewEpoch()
    {
        var membership = WithThreeNodes(Start());
        _clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        membership.DetectFailures();
        var epoch = membership.Map.Epoch;

        _clock.Advance(Timeout);
        membership.DetectFailures();

        Assert.Equal(epoch, membership.Map.Epoch);
        Assert.All(membership.Map.Nodes, n => Assert.Equal(NodeState.Down, n.State));
    }

    [Fact]
    public void Heartbeat_FromDownNode_MarksItUpWithNewEpoch()
    {
        var membership = WithThreeNodes(Start());
        _clock.Advance(Timeout + TimeSpan.FromSeconds(1));
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
        var membership = WithThreeNodes(Start());

        Assert.True(membership.Heartbeat("node-1"));

        Assert.Equal(3, membership.Map.Epoch);
    }

    [Fact]
    public void Heartbeat_UnknownId_ReturnsFalse()
    {
        var membership = WithThreeNodes(Start());

        Assert.False(membership.Heartbeat("node-9"));
        Assert.Equal(3, membership.Map.Epoch);
        Assert.Null(membership.Map.Find("node-9"));
    }

    [Fact]
    public void Register_DownNode_MarksItUp()
    {
        var membership = WithThreeNodes(Start());
        _clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        membership.DetectFailures();

        membership.Register("node-2", "127.0.0.1", 5002);

        Assert.Equal(NodeState.Up, StateOf(membership, "node-2"));
        Assert.Equal(NodeState.Down, StateOf(membership, "node-1"));
    }

    [Fact]
    public void Unregister_Member_RemovesItWithNewEpoch()
    {
        var membership = WithThreeNodes(Start());

        Assert.True(membership.Unregister("node-2"));

        Assert.Equal(4, membership.Map.Epoch);
        Assert.Equal(["node-1", "node-3"], membership.Map.Nodes.Select(n => n.Id));
        Assert.False(membership.Heartbeat("node-2"));
    }

    [Fact]
    public void Unregister_NonMember_ReturnsFalseAndKeepsEpoch()
    {
        var membership = WithThreeNodes(Start());

        Assert.False(membership.Unregister("node-9"));
        Assert.Equal(3, membership.Map.Epoch);
    }

    [Fact]
    public void Unregister_ThenSilence_RemovedNodeNeverReported()
    {
        var membership = WithThreeNodes(Start());
        membership.Unregister("node-3");

        _clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        membership.DetectFailures();

        Assert.Null(membership.Map.Find("node-3"));
        Assert.Equal(["node-1", "node-2"], membership.Map.Nodes.Select(n => n.Id));
    }

    [Fact]
    public void Restart_LoadsPersistedMap()
    {
        var before = WithThreeNodes(Start());
        _clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        before.Heartbeat("node-1");
        before.Heartbeat("node-2");
        before.DetectFailures();

        var after = Start();

        Assert.Equal(before.Map.Epoch, after.Map.Epoch);
        Assert.Equal<NodeEntry>(before.Map.Nodes, after.Map.Nodes);
        Assert.Equal(NodeState.Down, StateOf(after, "node-3"));
    }

    [Fact]
    public void Restart_NextChange_ContinuesFromPersistedEpoch()
    {
        WithThreeNodes(Start());

        var after = Start();
        after.Register("node-4", "127.0.0.1", 5004);

        Assert.Equal(4, after.Map.Epoch);
    }

    [Fact]
    public void Restart_KnownNodesGetGracePeriod()
    {
        WithThreeNodes(Start());
        // The coordinator was down for a long time; the nodes' silence meanwhile says nothing about them.
        _clock.Advance(TimeSpan.FromMinutes(5));

        var after = Start();
        after.DetectFailures();

        Assert.Equal(3, after.Map.Epoch);
        Assert.All(after.Map.Nodes, n => Assert.True(n.IsUp));

        _clock.Advance(Timeout + TimeSpan.FromSeconds(1));
        after.Heartbeat("node-1");
        after.DetectFailures();

        Assert.Equal(NodeState.Up, StateOf(after, "node-1"));
        Assert.Equal(NodeState.Down, StateOf(after, "node-2"));
        Assert.Equal(NodeState.Down, StateOf(after, "node-3"));
    }
}
