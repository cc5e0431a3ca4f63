using Microsoft.Extensions.Logging;
using RingKV.Net;
using RingKV.Node.Commands;
using RingKV.Node.Membership;
using RingKV.Node.Replication;
using RingKV.Node.Routing;
using RingKV.Storage;
using RingKV.Storage.InMemory;
using RingKV.Storage.Versioning;

namespace RingKV.Node;

/// <summary>A node process: storage, the cluster agent, the replication machinery and the RESP listener.</summary>
public sealed class NodeServer : IAsyncDisposable
{
    private readonly RespServer _server;
    private readonly RespConnectionPool _peers;
    private readonly IKeyValueStore _store;

    public NodeServer(NodeOptions options, ILoggerFactory loggers, IKeyValueStore? store = null)
    {
        _store = store ?? new InMemoryKeyValueStore();
        // Sessions only exist after Start, by which time Context is set.
        _server = new RespServer(EndpointParser.ToIPEndPoint(options.Bind, options.Port),
            remote => new NodeSession(remote, Context!), options.Limits, loggers.CreateLogger("resp"));
        // Port 0 asks the OS for a free port; the node registers with the port it really got.
        Options = options = options with { Port = _server.LocalEndPoint.Port };
        _peers = new RespConnectionPool { CommandTimeout = options.PeerTimeout, ConnectTimeout = options.PeerTimeout };
        Agent = new ClusterAgent(options, _peers, loggers.CreateLogger("cluster"));
        var replicator = new Replicator(options, Agent, _store, new HybridLogicalClock(), _peers, new PeerHealth(), loggers.CreateLogger("replication"));
        var primary = new PrimaryExecutor(replicator, new KeyLocks(), TimeProvider.System);
        Context = new NodeContext(options, Agent, replicator, new KeyRouter(options, Agent, replicator, primary), primary);
        _server.Start();
        Agent.Start();
    }

    public NodeOptions Options { get; }

    public ClusterAgent Agent { get; }

    public NodeContext Context { get; }

    public System.Net.IPEndPoint LocalEndPoint => _server.LocalEndPoint;

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await _server.DisposeAsync();
        await _peers.DisposeAsync();
        _store.Dispose();
    }
}
