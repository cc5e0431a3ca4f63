using System.Text;
using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.Cli.Views;

/// <summary>
/// <c>ringkv nodes-for-key --json</c>: the key's slot and the nodes that serve it, primary first, from the same map
/// and preference list GET_NODES_FOR_KEY answers from.
/// </summary>
public sealed record KeyNodes(string Key, int Slot, IReadOnlyList<KeyNodes.Replica> Nodes)
{
    public static KeyNodes Of(ClusterMap map, string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        var list = map.PreferenceListForKey(bytes);
        return new KeyNodes(key, HashSlot.ForKey(bytes),
            [.. list.Select((node, i) => new Replica(i == 0 ? "primary" : "replica", node.Id, node.Endpoint, MapReplies.StateName(node.State)))]);
    }

    /// <param name="Role"><c>primary</c> or <c>replica</c>.</param>
    /// <param name="State"><c>UP</c> or <c>DOWN</c>.</param>
    public sealed record Replica(string Role, string Id, string Address, string State);
}
