using System.Text.Json;
using System.Text.Json.Nodes;
using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.Http;

/// <summary>
/// <c>GET /v1/cluster</c>: the cluster map (epoch, nodes and their states, ring members, a running transition) plus
/// slot ownership as ranges of consecutive slots with the same replicas, primary first.
/// </summary>
public static class ClusterJson
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static string ToJson(ClusterMap map)
    {
        var document = JsonNode.Parse(map.ToJson())!.AsObject();
        var ranges = new JsonArray();
        var start = 0;
        string[]? previous = null;
        for (var slot = 0; slot <= HashSlot.Count; slot++)
        {
            var replicas = slot < HashSlot.Count ? Array.ConvertAll(map.PreferenceList(slot), n => n.Id) : null;
            if (previous is not null && (replicas is null || !replicas.AsSpan().SequenceEqual(previous)))
            {
                ranges.Add(new JsonObject
                {
                    ["start"] = start,
                    ["end"] = slot - 1,
                    ["replicas"] = new JsonArray([.. previous.Select(id => (JsonNode?)id)]),
                });
                start = slot;
            }
            previous = replicas;
        }
        document["slots"] = ranges;
        return document.ToJsonString(s_json);
    }
}
