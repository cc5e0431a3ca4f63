using RingKV.Cli.Local;

namespace RingKV.Fuzz.Servers;

/// <summary>
/// A one-node RingKV cluster (coordinator plus one node, replication factor 1, in-memory storage) as child
/// processes: every slot is the node's own, so its answers involve no forwarding and can be compared with one
/// redis-server.
/// </summary>
internal sealed class RingKvNode : IServerUnderTest, IAsyncDisposable
{
    private readonly LocalCluster _cluster;

    private RingKvNode(LocalCluster cluster) => _cluster = cluster;

    private ManagedProcess Node => _cluster.Nodes[0];

    public string Name => "ringkv";

    public int Port => Node.Port;

    public int Pid => Node.Pid;

    public bool HasExited => Node.HasExited;

    public string Output => Node.Output;

    /// <exception cref="InvalidOperationException">The cluster did not start.</exception>
    public static async Task<RingKvNode> StartAsync() => new(await LocalCluster.StartAsync(new LocalClusterOptions
    {
        Nodes = 1,
        ReplicationFactor = 1,
        NodeArguments = ["--storage", "memory"],
        HeartbeatInterval = TimeSpan.FromMilliseconds(250),
        DeleteDataOnDispose = true,
    }));

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
