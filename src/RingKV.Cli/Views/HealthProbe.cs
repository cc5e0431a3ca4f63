using RingKV.Client;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;
using RingKV.Net;

namespace RingKV.Cli.Views;

/// <summary>
/// Gathers <c>ringkv status</c>: the map from the client, the rebalance state and the coordinator group from the
/// seeds, and INFO from every node of the map at once, each on its own short deadline, so that a dead or hung node
/// shows as unreachable instead of failing or stalling the verb.
/// </summary>
public static class HealthProbe
{
    /// <summary>
    /// Per node, for connecting and for the INFO reply: a node that is alive answers INFO in milliseconds, and since
    /// nodes are asked in parallel a dead one costs the whole verb this long once, not once per node.
    /// </summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(1);

    private static readonly string[] s_info = ["INFO", "server", "clients", "memory", "stats", "keyspace"];

    /// <param name="seeds">Where the client got its map (<c>-c</c>); asked for REBALANCE STATUS (only a coordinator answers it) and COORDINATORS.</param>
    public static async Task<ClusterHealth> RunAsync(RingKvClient client, IReadOnlyList<string> seeds)
    {
        var map = client.Map;
        await using var pool = CreatePool(client);
        var rebalance = RebalanceStateAsync(client, seeds);
        var group = CoordinatorProbe.RunAsync(client, seeds);
        var nodes = await Task.WhenAll(map.Nodes.Select(node => ProbeAsync(pool, map, node)));
        return new ClusterHealth(map.Epoch, map.ClusterId, map.ReplicationFactor, map.Nodes.Count(n => n.IsUp), map.Nodes.Length,
            nodes.Count(n => n.Reachable), await rebalance, (await group).Group, nodes);
    }

    /// <summary>
    /// A pool for one probe, with the client's credentials and <see cref="NodeTimeout"/>. Its own: the client's
    /// timeouts suit routed requests (seconds, failover to the next replica), and a process refusing a connection
    /// must be tried again by the next probe, not skipped for a back-off period. The caller disposes it.
    /// </summary>
    public static RespConnectionPool CreatePool(RingKvClient client) => new()
    {
        ConnectTimeout = NodeTimeout, CommandTimeout = NodeTimeout, RetryBackoff = TimeSpan.Zero,
        Handshake = Hosting.ClientCredentials.Handshake(client.Options.Password),
        Tls = client.Options.Tls,
    };

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

    /// <summary>The first seed's answer that is a rebalance report; null when none is (only coordinators report it).</summary>
    private static async Task<string?> RebalanceStateAsync(RingKvClient client, IReadOnlyList<string> seeds)
    {
        foreach (var seed in seeds)
        {
            try
            {
                var reply = await client.ExecuteOnAsync(seed, "REBALANCE", "STATUS");
                if (!reply.IsError && reply.AsString() is { } json)
                {
                    return RebalanceReport.FromJson(json).State;
                }
            }
            catch (Exception ex) when (ex is RingKvException or FormatException)
            {
                // The next seed may be a coordinator that answers.
            }
        }
        return null;
    }
}
