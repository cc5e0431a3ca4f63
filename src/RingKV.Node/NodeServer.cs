using Microsoft.Extensions.Logging;
using RingKV.Net;
using RingKV.Node.Commands;
using RingKV.Node.Membership;
using RingKV.Node.Rebalancing;
using RingKV.Node.Replication;
using RingKV.Node.Routing;
using RingKV.Storage.Maintenance;
using RingKV.Storage.Versioning;

using RingKV.Node.Faults;

namespace RingKV.Node;

/// <summary>A node process: storage, the cluster agent, the replication machinery and the RESP listener.</summary>
/// <remarks>
/// Start order matters: storage opens first (a foreign or locked data directory stops the node before it listens),
/// the listener binds next (port 0 gives the real port the node registers with), registration last.
/// Shutdown runs in reverse, so no request reaches a closed store.
/// </remarks>
public sealed class NodeServer : IAsyncDisposable
{
    private readonly RespServer _server;
    private readonly RespConnectionPool _coordinator;
    private readonly PeerLinks _peers;
    private readonly PeerProber _prober;
    private readonly NodeStorage _storage;
    private readonly HintedHandoff _handoff;
    private readonly RecordPurger _purger;
    private readonly AntiEntropy _antiEntropy;

    /// <exception cref="Storage.StorageException">The data directory can not be used.</exception>
    public NodeServer(NodeOptions options, ILoggerFactory loggers)
    {
        _storage = NodeStorage.Open(options);
        // Sessions only exist after Start, by which time Context is set.
        _server = new RespServer(EndpointParser.ToIPEndPoint(options.Bind, options.Port),
            remote => new NodeSession(remote, Context!), options.Limits, loggers.CreateLogger("resp"))
        {
            Security = options.Security,
        };
        // Port 0 asks the OS for a free port; the node registers with the port it really got.
        Options = options = options with { Port = _server.LocalEndPoint.Port };
        // Every connection to the coordinator and to peers proves the cluster secret first (ServerSecurity).
        _coordinator = new RespConnectionPool { CommandTimeout = options.PeerTimeout, ConnectTimeout = options.PeerTimeout, Handshake = options.Security.PeerHandshake, Tls = options.Security.Tls };
        _peers = new PeerLinks(options.PeerTimeout, options.Security, loggers.CreateLogger("peers"));
        Agent = new ClusterAgent(options, _coordinator, loggers.CreateLogger("cluster"));
        _prober = new PeerProber(options, Agent, _peers);
        Agent.PeerSilences = _prober.Silences;
        // Every wall-clock reading (versions, expiry, hint ages) goes through one provider that tests may skew.
        var faults = new FaultInjection(options.FaultInjection);
        _handoff = new HintedHandoff(_storage.Hints, options.Hints, Agent, loggers.CreateLogger("hints"), faults.Clock);
        var replicator = new Replicator(options, Agent, _storage.Records, new HybridLogicalClock(faults.Clock), _peers, _handoff, loggers.CreateLogger("replication"))
        {
            Faults = faults,
        };
        var primary = new PrimaryExecutor(replicator, new KeyLocks(), faults.Clock);
        var copier = new SlotCopier(replicator, new TransferThrottle(options.RebalanceBytesPerSecond), options.TombstoneGrace);
        _antiEntropy = new AntiEntropy(options, Agent, replicator, copier, loggers.CreateLogger("repair"));
        Rebalancer = new Rebalancer(options, Agent, replicator, copier, loggers.CreateLogger("rebalance"));
        Context = new NodeContext(options, Agent, replicator, new KeyRouter(options, Agent, replicator, primary), primary, _antiEntropy)
        {
            Faults = faults,
        };
        Telemetry = new Observability.NodeTelemetry(Context, () => _server.ConnectionCount, _handoff, copier);
        Agent.Report = () => Telemetry.Report().ToJson();
        _purger = new RecordPurger(_storage.Records, options.TombstoneGrace);
        _server.Start();
        Agent.Start();
        _prober.Start();
        _handoff.Start(replicator);
        _purger.Start();
        Rebalancer.Start();
        _antiEntropy.Start();
    }

    public NodeOptions Options { get; }

    public ClusterAgent Agent { get; }

    public NodeContext Context { get; }

    public Rebalancer Rebalancer { get; }

    /// <summary>Gauges for <c>/metrics</c> and the report each heartbeat carries.</summary>
    public Observability.NodeTelemetry Telemetry { get; }

    public System.Net.IPEndPoint LocalEndPoint => _server.LocalEndPoint;

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await _prober.DisposeAsync();
        await Rebalancer.DisposeAsync();
        await _antiEntropy.DisposeAsync();
        await _server.DisposeAsync();
        await _handoff.DisposeAsync();
        await _purger.DisposeAsync();
        await _peers.DisposeAsync();
        await _coordinator.DisposeAsync();
        _storage.Dispose();
    }
}
