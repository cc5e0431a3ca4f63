using RingKV.Cluster;
namespace RingKV.Node;

/// <summary>Settings of the <c>ringkv node</c> role.</summary>
public sealed record NodeOptions
{
    /// <summary>Stable identity; a restarted node with the same id is the same ring member.</summary>
    public required string Id { get; init; }

    public string Bind { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 5001;

    /// <summary>Host other nodes and clients use to reach this node (defaults to <see cref="Bind"/>).</summary>
    public string? AdvertiseHost { get; init; }

    /// <summary>
    /// Port other nodes use to reach this node, when it differs from the bound one (a proxy in front of it, as in
    /// fault-injection tests); null = the bound <see cref="Port"/>. Clients may still connect to the bound port.
    /// </summary>
    public int? AdvertisePort { get; init; }

    /// <summary>
    /// The coordinators' <c>host:port</c>s (one, or every member of the coordinator group): the node talks to one at a
    /// time and moves on to the next when it cannot serve (<see cref="Cluster.Client.CoordinatorLink"/>).
    /// </summary>
    public IReadOnlyList<string> Coordinators { get; init; } = ["127.0.0.1:5000"];

    public string DataDirectory { get; init; } = "./data/node";

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node waits for a peer (forward, replicate, read) before trying the next replica.</summary>
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public Consistency ReadConsistency { get; init; } = Consistency.Quorum;

    public Consistency WriteConsistency { get; init; } = Consistency.Quorum;

    /// <summary>Storage engine: RocksDB in <see cref="DataDirectory"/> (default) or memory (a cache; nothing survives).</summary>
    public StorageKind Storage { get; init; } = StorageKind.RocksDb;

    /// <summary>When written data is forced to disk (RocksDB only), like Redis' appendfsync.</summary>
    public Storage.FsyncPolicy Fsync { get; init; } = RingKV.Storage.FsyncPolicy.EverySecond;

    /// <summary>How long tombstones and expired records are kept before they are purged; must exceed the hint window.</summary>
    public TimeSpan TombstoneGrace { get; init; } = TimeSpan.FromHours(24);

    public Replication.HintOptions Hints { get; init; } = new();

    /// <summary>
    /// Most bytes per second this node pulls when it copies slots (joins, leaves, removals, repair); 0 is unlimited.
    /// Bounds the disk and network share rebalancing takes from client traffic.
    /// </summary>
    public long RebalanceBytesPerSecond { get; init; } = 32L << 20;

    /// <summary>
    /// How often the node compares its slots with the other replicas and pulls what differs; zero disables the
    /// periodic run (REPAIR still works). Must be well below <see cref="TombstoneGrace"/> so deletes reach every
    /// replica before their tombstones are purged.
    /// </summary>
    public TimeSpan AntiEntropyInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Per-client limits of the RESP server (docs/limits.md); CONFIG SET changes the running server's, not these.</summary>
    public Net.ServerLimits Limits { get; init; } = Net.ServerLimits.Default;

    /// <summary>Password, cluster secret and protected mode (docs/security.md); open by default for in-process tests.</summary>
    public Net.ServerSecurity Security { get; init; } = Net.ServerSecurity.Open;

    /// <summary>
    /// Lets <c>RKV.FAULT</c> skew this node's clock or plant a replication bug (consistency tests only; see
    /// <see cref="Faults.FaultInjection"/>). Off by default, and never for production nodes.
    /// </summary>
    public bool FaultInjection { get; init; }

    public string AdvertisedHost => AdvertiseHost ?? (Bind is "0.0.0.0" or "::" ? "127.0.0.1" : Bind);

    public int AdvertisedPort => AdvertisePort ?? Port;
}
