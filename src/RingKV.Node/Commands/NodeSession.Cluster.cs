using System.Security.Cryptography;
using System.Text;
using RingKV.Cluster.Map;
using RingKV.Placement;
using RingKV.Protocol;

namespace RingKV.Node.Commands;

// CLUSTER …: the Redis Cluster view of the map, so cluster-aware clients (StackExchange.Redis, redis-cli -c,
// node-redis) discover the nodes and send each key straight to the node that serves it. Only primaries are
// advertised, each with the slot ranges it leads; replication stays internal (clients must never read a replica
// directly: our replicas are quorum members, not Redis' asynchronous copies). A node that receives a key it does
// not lead still proxies it, so a client with an old topology is slower, never wrong: there are no MOVED replies.
public sealed partial class NodeSession
{
    private void ExecuteCluster(RespRequest request)
    {
        if (request.Count < 2)
        {
            WrongArity(request);
            return;
        }
        var map = _node.Agent.Map;
        var sub = request.GetString(1).ToUpperInvariant();
        switch (sub)
        {
            case "KEYSLOT" when request.Count == 3:
                Writer.WriteInteger(HashSlot.ForKey(request[2]));
                return;
            case "MYID" when request.Count == 2:
                Writer.WriteBulkString(ClusterNodeId(_node.Options.Id));
                return;
            case "INFO" when request.Count == 2:
                Writer.WriteBulkString(ClusterInfo(map));
                return;
            case "SLOTS" when request.Count == 2:
                WriteSlots(map);
                return;
            case "SHARDS" when request.Count == 2:
                WriteShards(map);
                return;
            case "NODES" when request.Count == 2:
                Writer.WriteBulkString(ClusterNodes(map));
                return;
            case "COUNTKEYSINSLOT" when request.Count == 3:
                if (TryParseSlot(request[2], out var slot))
                {
                    Writer.WriteInteger(_node.Replicator.Store.CountLiveInSlot(slot, _node.Primary.NowMs));
                }
                return;
            case "GETKEYSINSLOT" when request.Count == 4:
                if (TryParseSlot(request[2], out slot))
                {
                    if (!int.TryParse(request[3], out var count) || count < 0)
                    {
                        Writer.WriteError("ERR Invalid number of keys"u8);
                        return;
                    }
                    var now = _node.Primary.NowMs;
                    var keys = _node.Replicator.Store.ScanSlot(slot).Where(e => e.Value.IsLive(now)).Take(count).Select(e => e.Key).ToList();
                    Writer.WriteArrayHeader(keys.Count);
                    foreach (var key in keys)
                    {
                        Writer.WriteBulkString(key);
                    }
                }
                return;
            case "HELP" when request.Count == 2:
                WriteLines(
                    "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "COUNTKEYSINSLOT <slot>",
                    "    Return the number of keys in <slot>.",
                    "GETKEYSINSLOT <slot> <count>",
                    "    Return key names stored by current node in a slot.",
                    "INFO",
                    "    Return information about the cluster.",
                    "KEYSLOT <key>",
                    "    Return the hash slot for <key>.",
                    "MYID",
                    "    Return the node id.",
                    "NODES",
                    "    Return cluster configuration seen by node. Output format:",
                    "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
                    "SHARDS",
                    "    Return information about slot range mappings and the nodes associated with them.",
                    "SLOTS",
                    "    Return information about slots range mappings. Each range is made of:",
                    "    start, end, master and replicas IP addresses, ports and ids",
                    "HELP",
                    "    Print this help.",
                    "RingKV derives every answer from its cluster map: slots are served by the acting primary, replicas are",
                    "internal, and any node proxies a key it does not lead (no MOVED or ASK).");
                return;
            case "KEYSLOT" or "MYID" or "INFO" or "SLOTS" or "SHARDS" or "NODES" or "COUNTKEYSINSLOT" or "GETKEYSINSLOT" or "HELP":
                Writer.WriteError($"ERR wrong number of arguments for 'cluster|{sub.ToLowerInvariant()}' command");
                return;
            default:
                Writer.WriteError($"ERR unknown subcommand '{Truncate(request.GetString(1))}'. Try CLUSTER HELP.");
                return;
        }
    }

    private static string Truncate(string text) => text.Length > 128 ? text[..128] : text;

    /// <summary>A Redis-style 40-hex-digit node id, stable for a RingKV node id (clients expect that shape).</summary>
    public static string ClusterNodeId(string nodeId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(nodeId)).AsSpan(0, 20));

    /// <summary>Maximal runs of slots served by the same primary, ascending.</summary>
    private static List<(int First, int Last, NodeEntry Primary)> PrimaryRanges(ClusterMap map)
    {
        var ranges = new List<(int First, int Last, NodeEntry Primary)>();
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            var list = map.PreferenceList(slot);
            if (list.Length == 0)
            {
                continue;
            }
            // The first UP node is who acts as primary; clients go there (all DOWN: the listed primary).
            var primary = Array.Find(list, n => n.IsUp) ?? list[0];
            if (ranges.Count > 0 && ranges[^1].Last == slot - 1 && ranges[^1].Primary.Id == primary.Id)
            {
                ranges[^1] = (ranges[^1].First, slot, primary);
            }
            else
            {
                ranges.Add((slot, slot, primary));
            }
        }
        return ranges;
    }

    private static string ClusterInfo(ClusterMap map)
    {
        var assigned = map.Members.IsEmpty ? 0 : HashSlot.Count;
        var primaries = PrimaryRanges(map).Select(r => r.Primary.Id).Distinct().Count();
        return new StringBuilder()
            .Append("cluster_state:").Append(assigned == HashSlot.Count ? "ok" : "fail")
            .Append("\r\ncluster_slots_assigned:").Append(assigned)
            .Append("\r\ncluster_slots_ok:").Append(assigned)
            .Append("\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:0")
            .Append("\r\ncluster_known_nodes:").Append(map.Nodes.Length)
            .Append("\r\ncluster_size:").Append(primaries)
            .Append("\r\ncluster_current_epoch:").Append(map.Epoch)
            .Append("\r\ncluster_my_epoch:").Append(map.Epoch)
            .Append("\r\ncluster_stats_messages_sent:0\r\ncluster_stats_messages_received:0\r\ntotal_cluster_links_buffer_limit_exceeded:0\r\n")
            .ToString();
    }

    // CLUSTER SLOTS: [[first, last, [host, port, id]], ...]
    private void WriteSlots(ClusterMap map)
    {
        var ranges = PrimaryRanges(map);
        Writer.WriteArrayHeader(ranges.Count);
        foreach (var (first, last, primary) in ranges)
        {
            Writer.WriteArrayHeader(3);
            Writer.WriteInteger(first);
            Writer.WriteInteger(last);
            Writer.WriteArrayHeader(3);
            Writer.WriteBulkString(primary.Host);
            Writer.WriteInteger(primary.Port);
            Writer.WriteBulkString(ClusterNodeId(primary.Id));
        }
    }

    // CLUSTER SHARDS: one shard per node that leads slots: [slots, [first, last, ...], nodes, [[id, port, ip, endpoint,
    // role, replication-offset, health]]], as maps in RESP3 and flat key/value arrays in RESP2.
    private void WriteShards(ClusterMap map)
    {
        var shards = PrimaryRanges(map).GroupBy(r => r.Primary.Id).ToList();
        Writer.WriteArrayHeader(shards.Count);
        foreach (var shard in shards)
        {
            var primary = shard.First().Primary;
            Writer.WriteMapHeader(2);
            Writer.WriteBulkString("slots");
            Writer.WriteArrayHeader(shard.Count() * 2);
            foreach (var (first, last, _) in shard)
            {
                Writer.WriteInteger(first);
                Writer.WriteInteger(last);
            }
            Writer.WriteBulkString("nodes");
            Writer.WriteArrayHeader(1);
            Writer.WriteMapHeader(7);
            Writer.WriteBulkString("id");
            Writer.WriteBulkString(ClusterNodeId(primary.Id));
            Writer.WriteBulkString("port");
            Writer.WriteInteger(primary.Port);
            Writer.WriteBulkString("ip");
            Writer.WriteBulkString(primary.Host);
            Writer.WriteBulkString("endpoint");
            Writer.WriteBulkString(primary.Host);
            Writer.WriteBulkString("role");
            Writer.WriteBulkString("master");
            Writer.WriteBulkString("replication-offset");
            Writer.WriteInteger(0);
            Writer.WriteBulkString("health");
            Writer.WriteBulkString(primary.IsUp ? "online" : "failed");
        }
    }

    // CLUSTER NODES: "<id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slots>…"
    private string ClusterNodes(ClusterMap map)
    {
        var slotsByNode = PrimaryRanges(map).GroupBy(r => r.Primary.Id).ToDictionary(g => g.Key, g => g.ToList());
        var text = new StringBuilder();
        var self = map.Find(_node.Options.Id);
        IEnumerable<NodeEntry> nodes = self is null
            ? map.Nodes.Append(new NodeEntry(_node.Options.Id, _node.Options.AdvertisedHost, _node.Options.AdvertisedPort, NodeState.Up))
            : map.Nodes;
        foreach (var node in nodes)
        {
            var flags = (node.Id == _node.Options.Id ? "myself,master" : "master") + (node.IsUp ? "" : ",fail");
            text.Append(ClusterNodeId(node.Id)).Append(' ').Append(node.Host).Append(':').Append(node.Port).Append('@').Append(node.Port + 10000)
                .Append(' ').Append(flags).Append(" - 0 0 ").Append(map.Epoch).Append(node.IsUp ? " connected" : " disconnected");
            foreach (var (first, last, _) in slotsByNode.GetValueOrDefault(node.Id, []))
            {
                text.Append(' ').Append(first);
                if (last != first)
                {
                    text.Append('-').Append(last);
                }
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
