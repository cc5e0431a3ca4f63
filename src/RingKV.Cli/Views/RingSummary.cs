using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.Cli.Views;

/// <summary>
/// Who serves the hash slots, per node, as <c>ringkv ring</c> and <c>ringkv list-nodes</c> show it (and print with
/// <c>--json</c>). Pure: computed from a map alone.
/// </summary>
/// <remarks>
/// Slots are counted on the preference lists requests are routed by (<see cref="ClusterMap.PreferenceList"/>): while
/// a transition runs, settled slots count for their target list, the others for their current one, so the counts
/// follow the data as it moves. A DOWN node keeps its slots: routing skips it, the ring does not change.
/// </remarks>
/// <param name="Slots">The number of hash slots, for the reader of the JSON document (percentages are of this).</param>
/// <param name="Balance">
/// Most primary slots of a node divided by fewest, over the nodes that lead at least one slot (1 is perfect); null
/// when no node leads a slot.
/// </param>
public sealed record RingSummary(long Epoch, int ReplicationFactor, int VirtualNodesPerNode, int Slots, double? Balance,
    RingSummary.TransitionSummary? Transition, IReadOnlyList<RingSummary.NodeShare> Nodes)
{
    /// <summary>
    /// Scans the 16384 slots' lists once: tens of milliseconds when the map's rings are not built yet, which is fine
    /// for a command-line view and would not be on the request path.
    /// </summary>
    public static RingSummary Of(ClusterMap map)
    {
        var primary = new Dictionary<string, int>(StringComparer.Ordinal);
        var replica = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            var list = map.PreferenceList(slot);
            for (var i = 0; i < list.Length; i++)
            {
                var counts = i == 0 ? primary : replica;
                counts[list[i].Id] = counts.GetValueOrDefault(list[i].Id) + 1;
            }
        }
        var nodes = map.Nodes.Select(node =>
        {
            var membership = map.StatusOf(node.Id);
            var led = primary.GetValueOrDefault(node.Id);
            return new NodeShare(node.Id, node.Endpoint, MapReplies.StateName(node.State), MembershipName(membership),
                membership == MemberStatus.Waiting ? 0 : map.VirtualNodesPerNode,
                led, replica.GetValueOrDefault(node.Id), Math.Round(100.0 * led / HashSlot.Count, 2));
        }).ToArray();
        var leaders = nodes.Where(n => n.PrimarySlots > 0).Select(n => n.PrimarySlots).ToArray();
        var balance = leaders.Length == 0 ? (double?)null : Math.Round((double)leaders.Max() / leaders.Min(), 3);
        var transition = map.Transition is { } t
            ? new TransitionSummary(t.Id, [.. t.Target], map.MovingSlots().Count, t.Settled.Count, t.Aborting)
            : null;
        return new RingSummary(map.Epoch, map.ReplicationFactor, map.VirtualNodesPerNode, HashSlot.Count, balance, transition, nodes);
    }

    /// <summary>The lower-case name of a node's place in the ring (<c>member</c>, <c>joining</c>, <c>leaving</c>, <c>waiting</c>).</summary>
    public static string MembershipName(MemberStatus status) => status switch
    {
        MemberStatus.Member => "member",
        MemberStatus.Joining => "joining",
        MemberStatus.Leaving => "leaving",
        _ => "waiting",
    };

    /// <param name="State"><c>UP</c> or <c>DOWN</c>, as LIST_NODES spells it.</param>
    /// <param name="Membership">See <see cref="MembershipName"/>; only <c>member</c> and <c>leaving</c> nodes are in the current ring.</param>
    /// <param name="VirtualNodes">Tokens the node has on the current or target ring; 0 for a waiting node.</param>
    /// <param name="ReplicaSlots">Slots whose list holds the node after the first place (as a replica, not the primary).</param>
    /// <param name="PrimaryPercent">Primary slots as a percentage of all slots, two decimals.</param>
    public sealed record NodeShare(string Id, string Address, string State, string Membership, int VirtualNodes,
        int PrimarySlots, int ReplicaSlots, double PrimaryPercent)
    {
        /// <summary>Slots the node keeps a copy of, as primary or replica.</summary>
        public int HeldSlots => PrimarySlots + ReplicaSlots;
    }

    /// <param name="Id">The epoch that started the transition.</param>
    /// <param name="Target">Ids of the ring being moved to.</param>
    /// <param name="MovingSlots">Slots whose preference list differs between the current and the target ring.</param>
    /// <param name="SettledSlots">Of those, the slots whose new replicas have copied them and now serve them.</param>
    public sealed record TransitionSummary(long Id, IReadOnlyList<string> Target, int MovingSlots, int SettledSlots, bool Aborting);
}
