using Microsoft.Extensions.Logging;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Protocol;

namespace RingKV.Node.Routing;

/// <summary>What a node-to-node call carries, which decides the connection it travels on.</summary>
public enum PeerTraffic
{
    /// <summary>RKV.REPLICATE and RKV.READ: executed by the peer locally, never waiting on a third node.</summary>
    Replication,

    /// <summary>RKV.FWD: the peer executes as primary and may itself wait on replication to other nodes.</summary>
    Forwarding,

    /// <summary>
    /// RKV.DIGEST, RKV.VERSIONS, RKV.MREAD: slot copies for rebalancing and repair. Large replies that may take the
    /// peer seconds to compute; on their own connection they never queue in front of replication.
    /// </summary>
    Streaming,
}

/// <summary>
/// This node's connections to its peers, pipelined connections per peer and kind of traffic, and its local
/// opinion of which peers are failing.
/// </summary>
/// <remarks>
/// Why two kinds of connection: a server executes one connection's requests in order. If forwards and replication
/// shared a connection, node A's forward to B (waiting for B's copy to A) and B's forward to A (waiting for A's copy
/// to B) would each sit in front of the replication the other needs, and both would wait until the peer timeout: a
/// distributed deadlock whenever clients write through two nodes that forward to each other. Replication requests
/// never wait on anything remote, so on their own connections they always complete, and forwards always progress.
/// </remarks>
/// <param name="security">How connections to peers prove themselves: the cluster credentials, TLS.</param>
public sealed class PeerLinks(TimeSpan peerTimeout, ServerSecurity security, ILogger logger) : IAsyncDisposable
{
    private readonly RespConnectionPool _replication = new() { CommandTimeout = peerTimeout, ConnectTimeout = peerTimeout, Handshake = security.PeerHandshake, Tls = security.Tls };
    // A peer executes one connection's forwards in order, each waiting for its quorum: several connections let
    // forwards to one peer proceed side by side (measured: one connection capped a 3-node cluster driven through
    // one node at about 5k requests/s).
    private readonly RespConnectionPool _forwarding = new() { CommandTimeout = peerTimeout, ConnectTimeout = peerTimeout, ConnectionsPerEndpoint = 16, Handshake = security.PeerHandshake, Tls = security.Tls };

    // Digests of thousands of slots scan that much data on the peer: a generous timeout, one connection (a
    // node copies from one peer at a time).
    private readonly RespConnectionPool _streaming = new() { CommandTimeout = TimeSpan.FromSeconds(60), ConnectTimeout = peerTimeout, Handshake = security.PeerHandshake, Tls = security.Tls };

    // Liveness probes (PeerProber) on their own connection: a PING must not wait behind a forward or a digest, or a
    // busy peer would look like a dead one.
    private readonly RespConnectionPool _probes = new() { CommandTimeout = peerTimeout, ConnectTimeout = peerTimeout, Handshake = security.PeerHandshake, Tls = security.Tls };

    private static readonly ReadOnlyMemory<byte>[] Ping = ["PING"u8.ToArray()];

    public PeerHealth Health { get; } = new();

    /// <summary>True when <paramref name="node"/> is UP in the map and has not failed a call recently.</summary>
    public bool IsReachable(NodeEntry node) =>
        node.IsUp && !Health.IsSuspected(node.Id) && !_replication.IsBackingOff(node.Endpoint) && !_forwarding.IsBackingOff(node.Endpoint);

    /// <summary>Sends a command to <paramref name="peer"/>; null when it could not be reached (it is then suspected).</summary>
    public async Task<RespValue?> CallAsync(NodeEntry peer, ReadOnlyMemory<byte>[] args, PeerTraffic traffic) =>
        (await CallReportingAsync(peer, args, traffic)).Reply;

    /// <summary>
    /// <see cref="CallAsync"/> that also says, when the call failed, whether the command certainly never reached the
    /// peer (<c>NotSent</c>): only then may a write be sent to another node instead (see <see cref="KeyRouter"/>).
    /// </summary>
    public async Task<(RespValue? Reply, bool NotSent)> CallReportingAsync(NodeEntry peer, ReadOnlyMemory<byte>[] args, PeerTraffic traffic)
    {
        try
        {
            var pool = traffic switch
            {
                PeerTraffic.Replication => _replication,
                PeerTraffic.Forwarding => _forwarding,
                _ => _streaming,
            };
            var reply = await pool.ExecuteAsync(peer.Endpoint, args);
            Health.MarkHealthy(peer.Id);
            return (reply, false);
        }
        catch (RespConnectionException ex)
        {
            Health.MarkFailed(peer.Id);
            PeerLinksLog.PeerFailed(logger, peer.Id, ex.Message);
            return (null, ex.NotSent);
        }
    }

    /// <summary>
    /// Sends PING to <paramref name="peer"/>; true when it answered (any reply: an answer proves the process is up and
    /// reachable). Does not change <see cref="Health"/>: routing judges peers by the requests it sends them.
    /// </summary>
    /// <param name="cancellationToken">Bounds the wait below the peer timeout (the prober's interval).</param>
    public async Task<bool> PingAsync(NodeEntry peer, CancellationToken cancellationToken)
    {
        try
        {
            await _probes.ExecuteAsync(peer.Endpoint, Ping, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RespConnectionException or OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _probes.DisposeAsync();
        await _replication.DisposeAsync();
        await _forwarding.DisposeAsync();
        await _streaming.DisposeAsync();
    }
}
