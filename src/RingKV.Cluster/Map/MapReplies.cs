using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Cluster.Map;

/// <summary>
/// The cluster-view commands every role answers from its map: LIST_NODES, GET_NODES_FOR_KEY and CLUSTER_MAP,
/// with the line formats of the original description so its users recognise them.
/// </summary>
public static class MapReplies
{
    /// <summary>Answers LIST_NODES, GET_NODES_FOR_KEY or CLUSTER_MAP from <paramref name="map"/>; false for other commands.</summary>
    public static bool TryExecute(RespCommand command, RespRequest request, RespWriter writer, ClusterMap map)
    {
        var arity = command switch
        {
            RespCommand.ListNodes or RespCommand.ClusterMap => 1,
            RespCommand.GetNodesForKey => 2,
            _ => 0,
        };
        if (arity == 0)
        {
            return false;
        }
        if (request.Count != arity)
        {
            writer.WriteError(CommandTable.WrongArityError(request));
        }
        else if (command == RespCommand.ListNodes)
        {
            WriteListNodes(writer, map);
        }
        else if (command == RespCommand.GetNodesForKey)
        {
            WriteNodesForKey(writer, map, request[1]);
        }
        else
        {
            writer.WriteBulkString(map.ToJson());
        }
        return true;
    }

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
