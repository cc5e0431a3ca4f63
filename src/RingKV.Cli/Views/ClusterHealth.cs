using System.Globalization;

namespace RingKV.Cli.Views;

/// <summary>The document behind <c>ringkv status</c> (and its <c>--json</c> form): the map's view plus each node's own figures.</summary>
/// <param name="NodesUp">Nodes the map has UP (the coordinator's failure detector), of <paramref name="NodesTotal"/>.</param>
/// <param name="NodesReachable">Nodes that answered INFO within the probe's deadline.</param>
/// <param name="Rebalance">
/// The coordinator's rebalance state (<c>idle</c>, <c>streaming</c>, …); null when the seed did not answer REBALANCE
/// STATUS (it is a node, not the coordinator, or it is unreachable).
/// </param>
/// <param name="Coordinators">The coordinator group (<see cref="CoordinatorProbe"/>); null when no coordinator described it.</param>
public sealed record ClusterHealth(long Epoch, string? ClusterId, int ReplicationFactor, int NodesUp, int NodesTotal, int NodesReachable,
    string? Rebalance, CoordinatorGroupSummary? Coordinators, IReadOnlyList<ClusterHealth.NodeHealth> Nodes)
{
    /// <summary>
    /// One node: what the map says of it and what it reports of itself. Every figure is null when the node did not
    /// answer (<see cref="Reachable"/> false, <see cref="Error"/> says why).
    /// </summary>
    /// <param name="State"><c>UP</c> or <c>DOWN</c> in the map; a node can be UP there yet unreachable from here.</param>
    /// <param name="Keys">Live keys in the node's own store, primary and replica copies alike (INFO keyspace).</param>
    /// <param name="UsedMemory">Managed heap bytes (INFO used_memory).</param>
    /// <param name="UsedMemoryRss">Process working set, native storage memory included (INFO used_memory_rss).</param>
    /// <param name="CommandsProcessed">Commands the node executed since it started (INFO total_commands_processed).</param>
    public sealed record NodeHealth(string Id, string Address, string State, string Membership, bool Reachable, string? Error,
        long? Keys, long? UsedMemory, long? UsedMemoryRss, long? CommandsProcessed, long? ConnectedClients, long? UptimeSeconds)
    {
        public static NodeHealth Unreachable(string id, string address, string state, string membership, string error) =>
            new(id, address, state, membership, false, error, null, null, null, null, null, null);

        /// <summary>Reads the figures from an INFO reply (server, clients, memory, stats and keyspace sections).</summary>
        /// <remarks>A missing field stays null, except keys: a node leaves the <c>db0</c> line out when it holds nothing, as Redis does.</remarks>
        public static NodeHealth FromInfo(string id, string address, string state, string membership, string info)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[0] != '#')
                {
                    fields[line[..colon]] = line[(colon + 1)..];
                }
            }
            long? Field(string name) =>
                fields.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            // db0:keys=12,expires=0,avg_ttl=0
            long keys = 0;
            if (fields.TryGetValue("db0", out var db0))
            {
                var entry = db0.Split(',').FirstOrDefault(part => part.StartsWith("keys=", StringComparison.Ordinal));
                _ = long.TryParse(entry?["keys=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out keys);
            }
            return new NodeHealth(id, address, state, membership, true, null, keys, Field("used_memory"), Field("used_memory_rss"),
                Field("total_commands_processed"), Field("connected_clients"), Field("uptime_in_seconds"));
        }
    }
}
