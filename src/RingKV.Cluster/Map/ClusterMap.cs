using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using RingKV.Placement;

namespace RingKV.Cluster.Map;

/// <summary>
/// The cluster map: the ring members with their states, the placement parameters and an epoch that grows on every
/// change. Immutable; a holder replaces its map atomically with a newer epoch (never an older one), so readers
/// always see one consistent map without locks.
/// </summary>
/// <remarks>
/// The hash ring is derived from the member ids only (not their states), so a node going DOWN or UP does not move
/// data: routing skips DOWN nodes within each preference list instead.
/// </remarks>
public sealed class ClusterMap
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    private readonly Lazy<HashRing> _ring;

    public ClusterMap(long epoch, int replicationFactor, int virtualNodesPerNode, IEnumerable<NodeEntry> nodes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        Epoch = epoch;
        ReplicationFactor = replicationFactor;
        VirtualNodesPerNode = virtualNodesPerNode;
        // Ordinal order by id is the ring's own node order, so ring indexes index this array directly.
        Nodes = [.. nodes.OrderBy(n => n.Id, StringComparer.Ordinal)];
        _ring = new Lazy<HashRing>(() => HashRing.Build([.. Nodes.Select(n => n.Id)], VirtualNodesPerNode, ReplicationFactor));
    }

    /// <summary>An empty map (epoch 0) that routes nothing.</summary>
    public static ClusterMap Empty(int replicationFactor = RingDefaults.ReplicationFactor, int virtualNodesPerNode = RingDefaults.VirtualNodesPerNode) =>
        new(0, replicationFactor, virtualNodesPerNode, []);

    public long Epoch { get; }

    public int ReplicationFactor { get; }

    public int VirtualNodesPerNode { get; }

    /// <summary>Members sorted by id (ordinal).</summary>
    public ImmutableArray<NodeEntry> Nodes { get; }

    public HashRing Ring => _ring.Value;

    public NodeEntry? Find(string id)
    {
        foreach (var node in Nodes)
        {
            if (node.Id == id)
            {
                return node;
            }
        }
        return null;
    }

    /// <summary>The slot's replicas, primary first (fewer than the replication factor only in a small cluster).</summary>
    public NodeEntry[] PreferenceList(int slot)
    {
        var indexes = Ring.PreferenceIndexes(slot);
        var result = new NodeEntry[indexes.Length];
        for (var i = 0; i < indexes.Length; i++)
        {
            result[i] = Nodes[indexes[i]];
        }
        return result;
    }

    public NodeEntry[] PreferenceListForKey(ReadOnlySpan<byte> key) => PreferenceList(HashSlot.ForKey(key));

    /// <summary>A copy with <paramref name="node"/> added or replaced and the epoch advanced.</summary>
    public ClusterMap WithNode(NodeEntry node) =>
        new(Epoch + 1, ReplicationFactor, VirtualNodesPerNode, Nodes.Where(n => n.Id != node.Id).Append(node));

    /// <summary>A copy without node <paramref name="id"/> and the epoch advanced.</summary>
    public ClusterMap WithoutNode(string id) =>
        new(Epoch + 1, ReplicationFactor, VirtualNodesPerNode, Nodes.Where(n => n.Id != id));

    public string ToJson() => JsonSerializer.Serialize(new MapDocument(Epoch, ReplicationFactor, VirtualNodesPerNode, [.. Nodes]), s_json);

    /// <exception cref="FormatException">The text is not a cluster map document.</exception>
    public static ClusterMap FromJson(string json)
    {
        try
        {
            var doc = JsonSerializer.Deserialize<MapDocument>(json, s_json) ?? throw new FormatException("empty cluster map document");
            // The serializer accepts missing members and numeric enums; reject here what would otherwise fail
            // later (and with another exception type) on the routing path, when the ring is first built.
            if (doc.Epoch < 0 || doc.ReplicationFactor < 1 || doc.VirtualNodesPerNode < 1 || doc.Nodes is null
                || doc.Nodes.Any(n => n is null || string.IsNullOrEmpty(n.Id) || n.Host is null || !Enum.IsDefined(n.State))
                || doc.Nodes.DistinctBy(n => n.Id, StringComparer.Ordinal).Count() != doc.Nodes.Length)
            {
                throw new FormatException("invalid cluster map document: missing or out-of-range members");
            }
            return new ClusterMap(doc.Epoch, doc.ReplicationFactor, doc.VirtualNodesPerNode, doc.Nodes);
        }
        catch (JsonException ex)
        {
            throw new FormatException("invalid cluster map document: " + ex.Message, ex);
        }
    }

    private sealed record MapDocument(long Epoch, int ReplicationFactor, int VirtualNodesPerNode, NodeEntry[] Nodes);
}
