using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace RingKV.Placement;

/// <summary>
/// Consistent-hash ring with virtual nodes (Karger et al. 1997) placing the <see cref="HashSlot.Count"/> slots;
/// each slot gets a Dynamo-style preference list (DeCandia et al. 2007): the first distinct physical nodes met
/// walking clockwise from the slot's position, the first being the primary.
/// </summary>
/// <remarks>
/// <para>
/// Token <c>i</c> of node <c>X</c> is <c>XxHash64(UTF-8("X#i"), seed 0)</c>; a slot's position is
/// <c>XxHash64(slot as 4 bytes big-endian)</c>; the walk starts at the first token &gt;= the position and wraps.
/// Equal tokens are ordered by node id (ordinal). The result depends only on the set of node ids and the two
/// parameters, never on their order or on the process, so every node computes the same placement.
/// </para>
/// <para>
/// Immutable: safe for concurrent readers once <see cref="Build"/> returns. All preference lists are computed
/// by <see cref="Build"/>, so lookups are O(1) and allocation-free (except <see cref="PreferenceList"/>).
/// </para>
/// </remarks>
public sealed partial class HashRing
{
    private readonly string[] _nodes;

    // Slot s's preference list is _preferences[s * ReplicationFactor .. (s + 1) * ReplicationFactor], as indexes
    // into _nodes, primary first. One flat array keeps the whole map in a single allocation.
    private readonly int[] _preferences;

    private HashRing(string[] sortedNodes, int virtualNodesPerNode, int replicationFactor, int[] preferences)
    {
        _nodes = sortedNodes;
        Nodes = Array.AsReadOnly(sortedNodes);
        VirtualNodesPerNode = virtualNodesPerNode;
        ReplicationFactor = replicationFactor;
        _preferences = preferences;
    }

    /// <summary>Node ids in ordinal order; positions in this list are the node indexes used by this ring.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>Length of every preference list: the requested factor capped at the number of nodes.</summary>
    public int ReplicationFactor { get; }

    public int VirtualNodesPerNode { get; }

    /// <exception cref="ArgumentException">An id is null, empty or repeated.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is below 1.</exception>
    public static HashRing Build(IReadOnlyList<string> nodeIds, int virtualNodesPerNode, int replicationFactor)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodesPerNode, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);

        var nodes = SortedDistinct(nodeIds);
        var rf = Math.Min(replicationFactor, nodes.Length);
        var (tokens, owners) = CreateTokens(nodes, virtualNodesPerNode);
        var preferences = new int[HashSlot.Count * rf];
        if (rf > 0)
        {
            Span<byte> slotBytes = stackalloc byte[sizeof(int)];
            for (var slot = 0; slot < HashSlot.Count; slot++)
            {
                BinaryPrimitives.WriteInt32BigEndian(slotBytes, slot);
                var start = LowerBound(tokens, XxHash64.HashToUInt64(slotBytes));
                FillPreferenceList(owners, start, preferences.AsSpan(slot * rf, rf));
            }
        }

        return new HashRing(nodes, virtualNodesPerNode, rf, preferences);
    }

    /// <summary>Indexes into <see cref="Nodes"/>, primary first; empty when the ring has no nodes.</summary>
    /// <remarks>The span views the ring's own storage; it stays valid as long as the ring is reachable.</remarks>
    public ReadOnlySpan<int> PreferenceIndexes(int slot)
    {
        CheckSlot(slot);
        return _preferences.AsSpan(slot * ReplicationFactor, ReplicationFactor);
    }

    /// <exception cref="InvalidOperationException">The ring has no nodes.</exception>
    public string Primary(int slot)
    {
        CheckSlot(slot);
        if (ReplicationFactor == 0)
        {
            throw new InvalidOperationException("The ring has no nodes, so no slot has a primary.");
        }

        return _nodes[_preferences[slot * ReplicationFactor]];
    }

    /// <summary>Node ids of the slot's preference list, primary first. Allocates; for tools, not the request path.</summary>
    public string[] PreferenceList(int slot)
    {
        var indexes = PreferenceIndexes(slot);
        var ids = new string[indexes.Length];
        for (var k = 0; k < ids.Length; k++)
        {
            ids[k] = _nodes[indexes[k]];
        }

        return ids;
    }

    /// <returns>The node's index in <see cref="Nodes"/>, or -1 if it is not in the ring.</returns>
    public int IndexOf(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        var index = Array.BinarySearch(_nodes, nodeId, StringComparer.Ordinal);
        return index >= 0 ? index : -1;
    }

    private static string[] SortedDistinct(IReadOnlyList<string> nodeIds)
    {
        var nodes = new string[nodeIds.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = nodeIds[i];
            if (string.IsNullOrEmpty(nodes[i]))
            {
                throw new ArgumentException($"Node id at position {i} is null or empty.", nameof(nodeIds));
            }
        }

        Array.Sort(nodes, StringComparer.Ordinal);
        for (var i = 1; i < nodes.Length; i++)
        {
            if (string.Equals(nodes[i - 1], nodes[i], StringComparison.Ordinal))
            {
                throw new ArgumentException($"Node id '{nodes[i]}' appears more than once.", nameof(nodeIds));
            }
        }

        return nodes;
    }

    // Returns the ring as two parallel arrays sorted by (token, node index); node indexes follow the ordinal
    // order of ids, so equal tokens are ordered by id whatever order the caller listed the nodes in.
    private static (ulong[] Tokens, int[] Owners) CreateTokens(string[] nodes, int virtualNodesPerNode)
    {
        var ring = new (ulong Token, int Owner)[nodes.Length * virtualNodesPerNode];
        var buffer = new byte[64];
        for (var node = 0; node < nodes.Length; node++)
        {
            // "id#" is written once per node; only the decimal suffix changes per token.
            var prefixLength = Encoding.UTF8.GetByteCount(nodes[node]) + 1;
            if (buffer.Length < prefixLength + 11)
            {
                buffer = new byte[prefixLength + 11];
            }

            Encoding.UTF8.GetBytes(nodes[node], buffer);
            buffer[prefixLength - 1] = (byte)'#';
            for (var i = 0; i < virtualNodesPerNode; i++)
            {
                i.TryFormat(buffer.AsSpan(prefixLength), out var digits, default, CultureInfo.InvariantCulture);
                var token = XxHash64.HashToUInt64(buffer.AsSpan(0, prefixLength + digits));
                ring[(node * virtualNodesPerNode) + i] = (token, node);
            }
        }

        Array.Sort(ring);
        var tokens = new ulong[ring.Length];
        var owners = new int[ring.Length];
        for (var i = 0; i < ring.Length; i++)
        {
            (tokens[i], owners[i]) = ring[i];
        }

        return (tokens, owners);
    }

    // First index whose token is >= position; tokens.Length when the position is past the last token,
    // which the clockwise walk treats as wrapping to index 0.
    private static int LowerBound(ulong[] tokens, ulong position)
    {
        int low = 0, high = tokens.Length;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (tokens[mid] < position)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    // Terminates because every node owns at least one token and the list is no longer than the node count.
    private static void FillPreferenceList(int[] owners, int start, Span<int> list)
    {
        var found = 0;
        for (var i = start; found < list.Length; i++)
        {
            var owner = owners[i % owners.Length];
            if (!list[..found].Contains(owner))
            {
                list[found++] = owner;
            }
        }
    }

    private static void CheckSlot(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, HashSlot.Count);
    }
}
