using Microsoft.Extensions.Logging.Abstractions;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Node;
using RingKV.Node.Commands;
using RingKV.Node.Membership;
using RingKV.Node.Rebalancing;
using RingKV.Node.Replication;
using RingKV.Node.Routing;
using RingKV.Placement;
using RingKV.Storage.Hints;
using RingKV.Storage.InMemory;
using RingKV.Storage.Versioning;

namespace RingKV.Bench.Micro;

/// <summary>
/// One node alone in its map (RF=1) with in-memory storage, wired as <c>NodeServer</c> wires a node but without a
/// listener, coordinator link or background loops: commands run through a <see cref="NodeSession"/> straight to the
/// local primary. The same construction as the tests' <c>OneNode</c>, on the system clock.
/// </summary>
internal sealed class InMemoryNode : IAsyncDisposable
{
    private readonly RespConnectionPool _pool = new();
    private readonly ClusterAgent _agent;
    private readonly HintedHandoff _handoff;
    private readonly PeerLinks _peers;

    public InMemoryNode()
    {
        var options = new NodeOptions { Id = "node-1", Storage = StorageKind.Memory };
        _agent = new ClusterAgent(options, _pool, NullLogger.Instance);
        _agent.Offer(new ClusterMap(1, 1, RingDefaults.VirtualNodesPerNode, [new NodeEntry("node-1", "127.0.0.1", 1, NodeState.Up)]));
        var time = TimeProvider.System;
        _handoff = new HintedHandoff(new InMemoryHintStore(), new HintOptions(), _agent, NullLogger.Instance, time);
        _peers = new PeerLinks(options.PeerTimeout, RingKV.Net.ServerSecurity.Open, NullLogger.Instance);
        var replicator = new Replicator(options, _agent, Store, new HybridLogicalClock(time), _peers, _handoff, NullLogger.Instance);
        Primary = new PrimaryExecutor(replicator, new KeyLocks(), time);
        var copier = new SlotCopier(replicator, new TransferThrottle(0), options.TombstoneGrace);
        Context = new NodeContext(options, _agent, replicator, new KeyRouter(options, _agent, replicator, Primary), Primary,
            new AntiEntropy(options, _agent, replicator, copier, NullLogger.Instance));
    }

    public InMemoryKeyValueStore Store { get; } = new();

    public PrimaryExecutor Primary { get; }

    public NodeContext Context { get; }

    /// <summary>A client connection's session, not attached to any socket; point its writer at a buffer of yours.</summary>
    public NodeSession OpenSession() => new(null, Context);

    public async ValueTask DisposeAsync()
    {
        await Context.AntiEntropy.DisposeAsync();
        await _handoff.DisposeAsync();
        await _agent.DisposeAsync();
        await _peers.DisposeAsync();
        await _pool.DisposeAsync();
        Store.Dispose();
    }
}
