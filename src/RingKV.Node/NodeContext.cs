using RingKV.Node.Membership;
using RingKV.Node.Rebalancing;
using RingKV.Node.Replication;
using RingKV.Node.Routing;

namespace RingKV.Node;

/// <summary>The node's shared services, handed to every session. All members are thread-safe.</summary>
public sealed record NodeContext(NodeOptions Options, ClusterAgent Agent, Replicator Replicator, KeyRouter Router, PrimaryExecutor Primary, AntiEntropy AntiEntropy)
{
    public NodeStats Stats { get; } = new();

    /// <summary>What <c>/metrics</c> exports; unlike <see cref="Stats"/>, never reset.</summary>
    public Observability.NodeMetrics Metrics { get; } = new();

    /// <summary>What <c>RKV.FAULT</c> may change (nothing unless the node runs with <c>--fault-injection</c>).</summary>
    public Faults.FaultInjection Faults { get; init; } = RingKV.Node.Faults.FaultInjection.Disabled;

    /// <summary>Defaults CONFIG SET may change at runtime (read-consistency, write-consistency).</summary>
    public NodeSettings Settings { get; } = new(Options);

    /// <summary>SCAN, KEYS, RANDOMKEY, DBSIZE and FLUSHALL across the cluster.</summary>
    public Keyspace.ClusterKeyspace Keyspace { get; } = new(Options, Agent, Replicator, () => Primary.NowMs);
}
