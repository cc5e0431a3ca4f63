namespace RingKV.Cluster.Coordinator;

/// <summary>Settings of the <c>ringkv coordinator</c> role.</summary>
public sealed record CoordinatorOptions
{
    public string Bind { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 5000;

    /// <summary>Where the cluster map is persisted so it survives a coordinator restart.</summary>
    public string DataDirectory { get; init; } = "./data/coordinator";

    /// <summary>A node silent this long is marked DOWN (the original description's 10 s).</summary>
    public TimeSpan FailureTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A node DOWN this long leaves the ring and survivors re-replicate its slots; zero disables automatic removal.
    /// Fifteen minutes by default: longer than a reboot or a deploy (re-replicating a node's share of the data for a
    /// node that comes back minutes later costs more than it protects), short enough that the slots it held do not
    /// spend long one failure away from a single copy. Hints (kept 3 h) cover a node that returns within it.
    /// </summary>
    public TimeSpan RemovalTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Per-client limits of the RESP server (docs/limits.md); CONFIG SET changes the running server's, not these.</summary>
    public Net.ServerLimits Limits { get; init; } = Net.ServerLimits.Default;

    /// <summary>Password, cluster secret and protected mode (docs/security.md); open by default for in-process tests.</summary>
    public Net.ServerSecurity Security { get; init; } = Net.ServerSecurity.Open;

    /// <summary>
    /// The coordinator group, this coordinator included (<c>--peers</c>); empty for a lone coordinator, whose map is a
    /// file. Every member must list the same coordinators.
    /// </summary>
    public IReadOnlyList<Group.CoordinatorPeer> Peers { get; init; } = [];

    public int ReplicationFactor { get; init; } = Placement.RingDefaults.ReplicationFactor;

    public int VirtualNodesPerNode { get; init; } = Placement.RingDefaults.VirtualNodesPerNode;
}
