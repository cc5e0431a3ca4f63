using System.Text;
using RingKV.Client;
using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>
/// Which node stores which key, read from the nodes themselves (RKV.VERSIONS over all slots: every stored record,
/// no routing), compared with where the map says each key belongs.
/// </summary>
public static class KeyPlacement
{
    private static readonly string AllSlots = SlotSet.All.ToString();

    /// <summary>Every key stored on the node at <paramref name="endpoint"/> (tombstones included).</summary>
    public static async Task<HashSet<string>> KeysOnAsync(RingKvClient client, string endpoint)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var from = "0";
        var hasAfter = "0";
        var after = "";
        while (true)
        {
            var page = await client.ExecuteOnAsync(endpoint, "RKV.VERSIONS", AllSlots, from, hasAfter, after, "10000");
            if (page.IsError)
            {
                throw new RingKvException($"RKV.VERSIONS on {endpoint}: {page.AsString()}");
            }
            for (var i = 2; i < page.Items.Count; i += 3)
            {
                keys.Add(Encoding.UTF8.GetString(page.Items[i + 1].Bytes!));
            }
            if (page.Items[0].Integer < 0)
            {
                return keys;
            }
            from = page.Items[0].Integer.ToString();
            hasAfter = "1";
            after = Encoding.UTF8.GetString(page.Items[1].Bytes!);
        }
    }

    /// <summary>Every key stored on each node (node id → endpoint), read once per node.</summary>
    public static async Task<Dictionary<string, HashSet<string>>> StoredAsync(RingKvClient client, IReadOnlyDictionary<string, string> nodes)
    {
        var stored = new Dictionary<string, HashSet<string>>();
        foreach (var (id, endpoint) in nodes)
        {
            stored[id] = await KeysOnAsync(client, endpoint);
        }
        return stored;
    }

    /// <summary>
    /// Problems with <paramref name="keys"/> in <paramref name="stored"/> (from <see cref="StoredAsync"/>) under a
    /// stable <paramref name="map"/>: a key missing from a node of its preference list, or stored on a node outside
    /// it. Empty when placement is exact.
    /// </summary>
    public static List<string> Problems(ClusterMap map, IReadOnlyDictionary<string, HashSet<string>> stored, IEnumerable<string> keys)
    {
        var problems = new List<string>();
        foreach (var key in keys)
        {
            var owners = map.PreferenceListForKey(Encoding.UTF8.GetBytes(key)).Select(n => n.Id).ToHashSet();
            foreach (var (id, held) in stored)
            {
                var has = held.Contains(key);
                if (owners.Contains(id) && !has)
                {
                    problems.Add($"{key} missing on {id}");
                }
                else if (!owners.Contains(id) && has)
                {
                    problems.Add($"{key} stored on {id}, which is not in its preference list");
                }
            }
        }
        return problems;
    }

    /// <summary>Number of records each node stores.</summary>
    public static async Task<Dictionary<string, int>> CountsAsync(RingKvClient client, IReadOnlyDictionary<string, string> nodes) =>
        (await StoredAsync(client, nodes)).ToDictionary(e => e.Key, e => e.Value.Count);
}
