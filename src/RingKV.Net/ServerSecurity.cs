namespace RingKV.Net;

/// <summary>
/// Who may talk to a RingKV process: the clients' password (<c>--requirepass</c>), the secret the cluster's own
/// processes prove to each other (<c>--cluster-secret</c>), and protected mode. One instance per process, shared
/// by its RESP server (which checks) and its connections to peers (which prove).
/// </summary>
/// <remarks>
/// <para>
/// Nodes and the coordinator authenticate to each other as the internal user <see cref="ClusterUser"/> with the
/// cluster secret, and only that user may run the internal commands (<c>RKV.*</c>, <c>REGISTER_NODE</c>,
/// <c>HEARTBEAT</c>, <c>SLOTS_SYNCED</c>): a client that knows the password can read and write keys but cannot
/// forge replication or membership, and a process with another secret cannot join, forward or replicate. Without a
/// cluster secret, peers authenticate like clients (with the password, if any) and internal commands are open to
/// every authenticated connection, as before secrets existed.
/// </para>
/// <para>
/// Protected mode (Redis' <c>protected-mode</c>): while the default user has no password, a connection from a
/// non-loopback address may only authenticate as the cluster user; anything else is refused with an explanation and
/// the connection closed, so a node started on a public address by mistake does not serve the internet.
/// </para>
/// Secrets are never printed: <see cref="ToString"/> redacts them, so logging options records is safe.
/// </remarks>
public sealed class ServerSecurity
{
    /// <summary>The internal user nodes and coordinators authenticate as with the cluster secret.</summary>
    public const string ClusterUser = "ringkv-cluster";

    public static ServerSecurity Open { get; } = new(requirePass: null, clusterSecret: null, protectedMode: false);

    public ServerSecurity(string? requirePass, string? clusterSecret, bool protectedMode = true, TlsSettings? tls = null)
    {
        Tls = tls;
        RequirePass = string.IsNullOrEmpty(requirePass) ? null : requirePass;
        ClusterSecret = string.IsNullOrEmpty(clusterSecret) ? null : clusterSecret;
        ProtectedMode = protectedMode;
        Authenticator = new PasswordAuthenticator(RequirePass, ClusterSecret);
        PeerHandshake = ClusterSecret is { } secret ? [["AUTH", ClusterUser, secret]]
            : RequirePass is { } password ? [["AUTH", password]]
            : [];
    }

    public string? RequirePass { get; }

    public string? ClusterSecret { get; }

    public bool ProtectedMode { get; }

    /// <summary>TLS for everything this process serves and dials; null: plaintext.</summary>
    public TlsSettings? Tls { get; }

    public IAuthenticator Authenticator { get; }

    /// <summary>What this process sends first on every connection to a peer or the coordinator.</summary>
    public IReadOnlyList<string[]> PeerHandshake { get; }

    /// <summary>Whether <paramref name="user"/> may run internal (node-to-node, node-to-coordinator) commands.</summary>
    public bool MayRunInternal(string user) => ClusterSecret is null || user == ClusterUser;

    public override string ToString() =>
        $"requirepass {(RequirePass is null ? "none" : "set")}, cluster secret {(ClusterSecret is null ? "none" : "set")}, protected mode {(ProtectedMode ? "yes" : "no")}, tls {(Tls?.Certificate is null ? "no" : "yes")}";
}
