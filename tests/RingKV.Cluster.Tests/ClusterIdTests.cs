using RingKV.Cluster.Map;

namespace RingKV.Cluster.Tests;

/// <summary>The cluster id: created with the first map, persisted, and the gate for nodes of other clusters.</summary>
public sealed class ClusterIdTests : IDisposable
{
    private readonly TestCoordinator _coordinator = new();

    public void Dispose() => _coordinator.Dispose();

    [Fact]
    public async Task NewCoordinator_CreatesAnIdAndKeepsItAcrossChangesAndRestarts()
    {
        var membership = _coordinator.Start();
        var id = membership.Map.ClusterId;
        await membership.RegisterAsync("node-1", "127.0.0.1", 5001);

        var restarted = _coordinator.Start();

        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(id, membership.Map.ClusterId);
        Assert.Equal(id, restarted.Map.ClusterId);
    }

    [Fact]
    public void TwoCoordinators_GetDifferentIds()
    {
        using var other = new TestCoordinator();

        Assert.NotEqual(_coordinator.Start().Map.ClusterId, other.Start().Map.ClusterId);
    }

    [Fact]
    public void Accepts_NewNodeOrSameCluster_RefusesAnotherCluster()
    {
        var membership = _coordinator.Start();

        Assert.True(membership.Accepts(null));
        Assert.True(membership.Accepts(membership.Map.ClusterId));
        Assert.False(membership.Accepts("0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public void Json_RoundTripsTheId_OldDocumentsHaveNone()
    {
        var map = ClusterMap.Empty(clusterId: "abc").WithNode(TestMaps.Node(1));

        Assert.Equal("abc", ClusterMap.FromJson(map.ToJson()).ClusterId);
        Assert.Null(ClusterMap.FromJson("""{"epoch":1,"replicationFactor":3,"virtualNodesPerNode":16,"nodes":[]}""").ClusterId);
    }
}
