using System.Text.Json;
using System.Text.Json.Nodes;
using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.Cluster.Coordinator;

/// <summary>
/// The one document the dashboard draws from (<c>GET /v1/overview</c>, RESP <c>OVERVIEW</c>): the map's nodes with
/// their state, slot counts and last report, the ring as arcs of consecutive slots with the same primary, and the
/// rebalance status. Built on request from the coordinator's state; nodes relay the coordinator's copy.
/// </summary>
public static class ClusterOverview
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static string ToJson(CoordinatorServer server)
    {
        var membership = server.Membership;
        var map = membership.Map;
        var primary = new Dictionary<string, int>(StringComparer.Ordinal);
        var replica = new Dictionary<string, int>(StringComparer.Ordinal);
        var arcs = new JsonArray();
        string? runOwner = null;
        var runStart = 0;
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            var list = map.PreferenceList(slot);
            var owner = list.Length > 0 ? list[0].Id : null;
            for (var i = 0; i < list.Length; i++)
            {
                var counts = i == 0 ? primary : replica;
                counts[list[i].Id] = counts.GetValueOrDefault(list[i].Id) + 1;
            }
            if (slot > 0 && owner != runOwner)
            {
                arcs.Add(Arc(runStart, slot - 1, runOwner));
                runStart = slot;
            }
            runOwner = owner;
        }
        arcs.Add(Arc(runStart, HashSlot.Count - 1, runOwner));

        var nodes = new JsonArray();
        foreach (var node in map.Nodes)
        {
            var entry = new JsonObject
            {
                ["id"] = node.Id,
                ["host"] = node.Host,
                ["port"] = node.Port,
                ["state"] = MapReplies.StateName(node.State),
                ["member"] = map.Members.Contains(node.Id),
                ["leaving"] = node.Leaving,
                ["primarySlots"] = primary.GetValueOrDefault(node.Id),
                ["replicaSlots"] = replica.GetValueOrDefault(node.Id),
            };
            if (membership.Reports.Latest(node.Id) is { } report)
            {
                entry["report"] = JsonNode.Parse(report.Report.GetRawText());
                entry["reportAgeMs"] = (long)report.Age.TotalMilliseconds;
            }
            nodes.Add(entry);
        }

        var document = new JsonObject
        {
            ["epoch"] = map.Epoch,
            ["clusterId"] = map.ClusterId,
            ["replicationFactor"] = map.ReplicationFactor,
            ["virtualNodesPerNode"] = map.VirtualNodesPerNode,
            ["slotCount"] = HashSlot.Count,
            ["failureTimeoutMs"] = (long)membership.FailureTimeout.TotalMilliseconds,
            ["nodes"] = nodes,
            ["arcs"] = arcs,
            ["rebalance"] = JsonNode.Parse(membership.Status().ToJson()),
            ["coordinators"] = Group.CoordinatorGroupView.ToNode(server),
        };
        return document.ToJsonString(s_json);
    }

    private static JsonObject Arc(int start, int end, string? node) => new() { ["start"] = start, ["end"] = end, ["node"] = node };
}
