using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using RingKV.Placement;

namespace RingKV.Cluster.Map;

/// <summary>
/// The cluster map: every known node with its state, the ids forming the ring (the members), the transition to a
/// new ring when one runs, the placement parameters, and an epoch that grows on every change. Immutable; a holder
/// replaces its map atomically with a newer epoch (never an older one), so readers see one consistent map without
/// locks.
/// </summary>
/// <remarks>
/// <para>
/// The hash ring is derived from the member ids only (not their states), so a node going DOWN or UP does not move
/// data: routing skips DOWN nodes within each preference list instead. Only a transition moves data.
/// </para>
/// <para>
/// During a transition each slot has a current list (members' ring) and a target list (target ring). A slot is
/// served (reads, primary) by its current list until it is settled, then by its target list; writes need a quorum
/// in both lists until the transition finishes (<see cref="WriteReplicas"/>).
/// </para>
/// </remarks>
public sealed class ClusterMap
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    private readonly Dictionary<string, NodeEntry> _byId;
    private readonly Lazy<Placement> _ring;
    private readonly Lazy<Placement?> _target;

    /// <param name="members">The ring's node ids; all of <paramref name="nodes"/> when null.</param>
    /// <exception cref="ArgumentException">A member or target id is not a known node.</exception>
    /// <param name="clusterId">The cluster's identity (see <see cref="ClusterId"/>); null in maps from before it existed.</param>
    public ClusterMap(long epoch, int replicationFactor, int virtualNodesPerNode, IEnumerable<NodeEntry> nodes,
        IEnumerable<string>? members = null, RingTransition? transition = null, string? clusterId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        Epoch = epoch;
        ClusterId = clusterId;
        ReplicationFactor = replicationFactor;
        VirtualNodesPerNode = virtualNodesPerNode;
        Nodes = [.. nodes.OrderBy(n => n.Id, StringComparer.Ordinal)];
        _byId = Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        Members = [.. (members ?? Nodes.Select(n => n.Id)).Distinct().Order(StringComparer.Ordinal)];
        Transition = transition is null ? null : transition with { Target = [.. transition.Target.Distinct().Order(StringComparer.Ordinal)] };
        var unknown = Members.Concat(Transition?.Target ?? []).FirstOrDefault(id => !_byId.ContainsKey(id));
        if (unknown is not null)
        {
            throw new ArgumentException($"ring member '{unknown}' is not a known node", nameof(members));
        }
        _ring = new Lazy<Placement>(() => Placement.For(this, Members));
        _target = new Lazy<Placement?>(() => Transition is null ? null : Placement.For(this, Transition.Target));
    }

    /// <summary>An empty map (epoch 0) that routes nothing.</summary>
    public static ClusterMap Empty(int replicationFactor = RingDefaults.ReplicationFactor, int virtualNodesPerNode = RingDefaults.VirtualNodesPerNode,
        string? clusterId = null) =>
        new(0, replicationFactor, virtualNodesPerNode, [], clusterId: clusterId);

    public long Epoch { get; }

    /// <summary>
    /// A random id the coordinator gives the cluster when it creates its first map. Nodes remember it with their
    /// data and refuse a coordinator with another one: a coordinator that lost its map (or someone else's) would
    /// otherwise see them as new nodes, and new nodes drop data of slots they are not given.
    /// </summary>
    public string? ClusterId { get; }

    public int ReplicationFactor { get; }

    public int VirtualNodesPerNode { get; }

    /// <summary>Every known node (members, joiners, leavers, waiting nodes), sorted by id (ordinal).</summary>
    public ImmutableArray<NodeEntry> Nodes { get; }

    /// <summary>Ids of the nodes forming the ring, ordinal order.</summary>
    public ImmutableArray<string> Members { get; }

    /// <summary>The membership change in progress, or null when the ring is stable.</summary>
    public RingTransition? Transition { get; }

    /// <summary>The members' ring (the current one while a transition runs).</summary>
    public HashRing Ring => _ring.Value.Ring;

    /// <summary>The ring being moved to, or null when the ring is stable.</summary>
    public HashRing? TargetRing => _target.Value?.Ring;

    public NodeEntry? Find(string id) => _byId.GetValueOrDefault(id);

    public MemberStatus StatusOf(string id)
    {
        var member = Members.Contains(id);
        var target = Transition?.Target.Contains(id) ?? member;
        return (member, target) switch
        {
            (true, true) => MemberStatus.Member,
            (true, false) => MemberStatus.Leaving,
            (false, true) => MemberStatus.Joining,
            _ => MemberStatus.Waiting,
        };
    }

    /// <summary>
    /// The nodes that serve the slot, primary first: the target list once the slot is settled, the current list
    /// before. Fewer than the replication factor only in a small cluster. The array is shared: never modify it.
    /// </summary>
    public NodeEntry[] PreferenceList(int slot) =>
        _target.Value is { } target && Transition!.Settled.Contains(slot) ? target.List(slot) : _ring.Value.List(slot);

    public NodeEntry[] PreferenceListForKey(ReadOnlySpan<byte> key) => PreferenceList(HashSlot.ForKey(key));

    /// <summary>Where a write of the slot goes: the current list, plus the target list while a transition runs.</summary>
    public SlotReplicas WriteReplicas(int slot)
    {
        var current = _ring.Value.List(slot);
        if (_target.Value is not { } target)
        {
            return new SlotReplicas(current, null);
        }
        var next = target.List(slot);
        return new SlotReplicas(current, next.Select(n => n.Id).SequenceEqual(current.Select(n => n.Id)) ? null : next);
    }

    /// <summary>Slots the node must hold data for: in its current or its target list.</summary>
    public SlotSet OwnedBy(string id) =>
        _ring.Value.SlotsOf(id).Union(_target.Value?.SlotsOf(id) ?? SlotSet.Empty);

    /// <summary>Slots the node is copying in the running transition: in their target list, not their current one.</summary>
    public SlotSet GainedBy(string id) =>
        _target.Value is { } target ? target.SlotsOf(id).Except(_ring.Value.SlotsOf(id)) : SlotSet.Empty;

    /// <summary>Slots whose current and target lists differ (the work of the running transition).</summary>
    public SlotSet MovingSlots() =>
        Transition is null ? SlotSet.Empty : SlotSet.Where(slot => WriteReplicas(slot).Target is not null);

    /// <summary>A copy with <paramref name="node"/> added or replaced and the epoch advanced (membership unchanged).</summary>
    public ClusterMap WithNode(NodeEntry node) =>
        new(Epoch + 1, ReplicationFactor, VirtualNodesPerNode, Nodes.Where(n => n.Id != node.Id).Append(node), Members, Transition, ClusterId);

    /// <summary>A copy without node <paramref name="id"/> (which must not be a member or target) and the epoch advanced.</summary>
    public ClusterMap WithoutNode(string id) =>
        new(Epoch + 1, ReplicationFactor, VirtualNodesPerNode, Nodes.Where(n => n.Id != id), Members, Transition, ClusterId);

    /// <summary>A copy with new members and transition and the epoch advanced.</summary>
    public ClusterMap WithRing(IEnumerable<string> members, RingTransition? transition) =>
        new(Epoch + 1, ReplicationFactor, VirtualNodesPerNode, Nodes, members, transition, ClusterId);

    /// <summary>The same map (same epoch) under a cluster id: for maps saved before cluster ids existed.</summary>
    public ClusterMap WithClusterId(string clusterId) =>
        new(Epoch, ReplicationFactor, VirtualNodesPerNode, Nodes, Members, Transition, clusterId);

    public string ToJson() => JsonSerializer.Serialize(new MapDocument(Epoch, ReplicationFactor, VirtualNodesPerNode, [.. Nodes], [.. Members],
        Transition is null ? null : new TransitionDocument(Transition.Id, [.. Transition.Target], Transition.Settled.ToString(), Transition.Aborting),
        ClusterId), s_json);

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
                || doc.Nodes.DistinctBy(n => n.Id, StringComparer.Ordinal).Count() != doc.Nodes.Length
                || (doc.Transition is { } t && (t.Target is null || t.Settled is null)))
            {
                throw new FormatException("invalid cluster map document: missing or out-of-range members");
            }
            var transition = doc.Transition is { } d ? new RingTransition(d.Id, [.. d.Target], SlotSet.Parse(d.Settled), d.Aborting) : null;
            return new ClusterMap(doc.Epoch, doc.ReplicationFactor, doc.VirtualNodesPerNode, doc.Nodes, doc.Members, transition, doc.ClusterId);
        }
        catch (JsonException ex)
        {
            throw new FormatException("invalid cluster map document: " + ex.Message, ex);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException("invalid cluster map document: " + ex.Message, ex);
        }
    }

    // Members is optional in the document: maps written before rebalancing existed list every node as a member.
    private sealed record MapDocument(long Epoch, int ReplicationFactor, int VirtualNodesPerNode, NodeEntry[] Nodes, string[]? Members = null,
        TransitionDocument? Transition = null, string? ClusterId = null);

    private sealed record TransitionDocument(long Id, string[] Target, string Settled, bool Aborting);

    /// <summary>A ring over some of the map's nodes, with ring indexes resolved to the map's entries.</summary>
    private sealed class Placement
    {
        private readonly NodeEntry[] _entries;

        // Every request looks up its slot's list: built once per slot and map, then shared (callers never modify it).
        private readonly NodeEntry[]?[] _lists = new NodeEntry[]?[HashSlot.Count];

        private Placement(HashRing ring, NodeEntry[] entries)
        {
            Ring = ring;
            _entries = entries;
        }

        public HashRing Ring { get; }

        public static Placement For(ClusterMap map, ImmutableArray<string> ids)
        {
            var ring = RingCache.Get(ids, map.VirtualNodesPerNode, map.ReplicationFactor);
            return new Placement(ring, [.. ring.Nodes.Select(id => map._byId[id])]);
        }

        /// <summary>The slot's preference list; shared by every caller, so it must not be modified.</summary>
        public NodeEntry[] List(int slot) => _lists[slot] ??= BuildList(slot);

        private NodeEntry[] BuildList(int slot)
        {
            var indexes = Ring.PreferenceIndexes(slot);
            var result = new NodeEntry[indexes.Length];
            for (var i = 0; i < indexes.Length; i++)
            {
                result[i] = _entries[indexes[i]];
            }
            return result;
        }

        public SlotSet SlotsOf(string id)
        {
            var index = Ring.IndexOf(id);
            return index < 0 ? SlotSet.Empty : SlotSet.Where(slot => Ring.PreferenceIndexes(slot).Contains(index));
        }
    }

    /// <summary>
    /// The last few rings built, by member set: a transition publishes an epoch per settled batch with the same two
    /// rings, and rebuilding them (tens of milliseconds) for every epoch would stall whoever reads the map first.
    /// </summary>
    private static class RingCache
    {
        private static readonly Lock s_lock = new();
        private static readonly List<(string Key, HashRing Ring)> s_recent = [];

        public static HashRing Get(ImmutableArray<string> ids, int virtualNodes, int replicationFactor)
        {
            var key = $"{virtualNodes}/{replicationFactor}/{string.Join('\n', ids)}";
            lock (s_lock)
            {
                var hit = s_recent.FindIndex(e => e.Key == key);
                if (hit >= 0)
                {
                    return s_recent[hit].Ring;
                }
            }
            var ring = HashRing.Build(ids, virtualNodes, replicationFactor);
            lock (s_lock)
            {
                s_recent.Add((key, ring));
                if (s_recent.Count > 8)
                {
                    s_recent.RemoveAt(0);
                }
            }
            return ring;
        }
    }
}

/// <summary>The lists a write of one slot must reach: a quorum of <see cref="Current"/>, and of <see cref="Target"/> when set.</summary>
public readonly record struct SlotReplicas(NodeEntry[] Current, NodeEntry[]? Target)
{
    /// <summary>Every node of both lists, once each, current list first.</summary>
    public IEnumerable<NodeEntry> All
    {
        get
        {
            var current = Current;
            return Target is null ? current : current.Concat(Target.Where(t => Array.FindIndex(current, c => c.Id == t.Id) < 0));
        }
    }
}
