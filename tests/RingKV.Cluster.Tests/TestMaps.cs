using RingKV.Cluster.Map;

namespace RingKV.Cluster.Tests;

/// <summary>Small maps for tests; few virtual nodes keep ring builds fast.</summary>
internal static class TestMaps
{
    public const int VirtualNodes = 16;

    public static NodeEntry Node(int n, NodeState state = NodeState.Up) => new($"node-{n}", "127.0.0.1", 5000 + n, state);

    public static ClusterMap Of(long epoch, int replicationFactor, params NodeEntry[] nodes) =>
        new(epoch, replicationFactor, VirtualNodes, nodes);
}
