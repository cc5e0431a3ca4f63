using RingKV.Protocol;

namespace RingKV.Cluster.Map;

/// <summary>
/// The cluster-view commands every role answers from its map: LIST_NODES, GET_NODES_FOR_KEY and CLUSTER_MAP,
/// with the line formats of the original description so its users recognise them.
/// </summary>
public static class MapReplies
{
    /// <summary>One line per node: <c>node-5001 127.0.0.1:5001 UP</c>.</summary>
    public static void WriteListNodes(RespWriter writer, ClusterMap map)
    {
        writer.WriteArrayHeader(map.Nodes.Length);
        foreach (var node in map.Nodes)
        {
            writer.WriteBulkString($"{node.Id} {node.Endpoint} {StateName(node.State)}");
        }
    }

    /// <summary>One line per replica, primary first: <c>PRIMARY node-5001 127.0.0.1:5001 UP</c>.</summary>
    public static void WriteNodesForKey(RespWriter writer, ClusterMap map, ReadOnlySpan<byte> key)
    {
        var nodes = map.PreferenceListForKey(key);
        writer.WriteArrayHeader(nodes.Length);
        for (var i = 0; i < nodes.Length; i++)
        {
            var role = i == 0 ? "PRIMARY" : "REPLICA";
            writer.WriteBulkString($"{role} {nodes[i].Id} {nodes[i].Endpoint} {StateName(nodes[i].State)}");
        }
    }

    public static string StateName(NodeState state) => state == NodeState.Up ? "UP" : "DOWN";
}
