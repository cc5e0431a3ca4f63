using RingKV.Client;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;
using RingKV.Net;

namespace RingKV.Cli.Views;

/// <summary>
/// Gathers <c>ringkv status</c>: the map from the client, the rebalance state from the seed, and INFO from every
/// node of the map at once, each on its own short deadline, so that a dead or hung node shows as unreachable
/// instead of failing or stalling the verb.
/// </summary>
public static class HealthProbe
{
    /// <summary>
    /// Per node, for connecting and for the INFO reply: a node that is alive answers INFO in milliseconds, and since
    /// nodes are asked in parallel a dead one costs the whole verb this long once, not once per node.
    /// </summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(1);

    private static readonly string[] s_info = ["INFO", "server", "clients", "memory", "stats", "keyspace"];

    /// <param name="seed">Where the client got its map; asked for REBALANCE STATUS (only a coordinator answers it).</param>
    public static async Task<ClusterHealth> RunAsync(RingKvClient client, string seed)
    {
        var map = client.Map;
        // Its own pool: the client's timeouts suit routed requests (seconds, failover to the next replica), and a
        // node refusing a connection must be tried again by the next status, not skipped for a back-off period.
        await using var pool = new RespConnectionPool
        {
            ConnectTimeout = NodeTimeout, CommandTimeout = NodeTimeout, RetryBackoff = TimeSpan.Zero,
            Handshake = Hosting.ClientCredentials.Handshake(client.Options.Password),
            Tls = client.Options.Tls,
        };
        var rebalance = RebalanceStateAsync(client, seed);
        var nodes = await Task.WhenAll(map.Nodes.Select(node => ProbeAsync(pool, map, node)));
        return new ClusterHealth(map.Epoch, map.ClusterId, map.ReplicationFactor, map.Nodes.Count(n => n.IsUp), map.Nodes.Length,
            nodes.Count(n => n.Reachable), await rebalance, nodes);
    }

    private static async Task<ClusterHealth.NodeHealth> ProbeAsync(RespConnectionPool pool, ClusterMap map, NodeEntry node)
    {
        var state = MapReplies.StateName(node.State);
        var membership = RingSummary.MembershipName(map.StatusOf(node.Id));
        try
        {
            var reply = await pool.ExecuteAsync(node.Endpoint, s_info);
            return reply.IsError || reply.AsString() is not { } info
                ? ClusterHealth.NodeHealth.Unreachable(node.Id, node.Endpoint, state, membership, $"INFO answered {reply}")
                : ClusterHealth.NodeHealth.FromInfo(node.Id, node.Endpoint, state, membership, info);
        }
        catch (RespConnectionException ex)
        {
            return ClusterHealth.NodeHealth.Unreachable(node.Id, node.Endpoint, state, membership, ex.Message);
        }
    }

    private static async Task<string?> RebalanceStateAsync(RingKvClient client, string seed)
    {
        try
        {
            var reply = await client.ExecuteOnAsync(seed, "REBALANCE", "STATUS");
            return reply.IsError || reply.AsString() is not { } json ? null : RebalanceReport.FromJson(json).State;
        }
        catch (Exception ex) when (ex is RingKvException or FormatException)
        {
            return null;
        }
    }
}
