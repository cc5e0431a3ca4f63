namespace RingKV.Placement;

// Measurements of a ring and of the change between two rings: used by tools, tests and the rebalancer's
// planning, never on the request path (they scan all slots and allocate).
public sealed partial class HashRing
{
    /// <returns>Per node index, the number of slots the node is primary for.</returns>
    public int[] PrimarySlotCounts()
    {
        var counts = new int[_nodes.Length];
        for (var i = 0; i < _preferences.Length; i += ReplicationFactor)
        {
            counts[_preferences[i]]++;
        }

        return counts;
    }

    /// <returns>Per node index, the number of slots whose preference list contains the node.</returns>
    public int[] ReplicaSlotCounts()
    {
        var counts = new int[_nodes.Length];
        foreach (var node in _preferences)
        {
            counts[node]++;
        }

        return counts;
    }

    /// <summary>
    /// Fraction of slots whose primary node id differs between the two rings. A slot that has a primary in one
    /// ring and none in the other (one ring is empty) counts as moved.
    /// </summary>
    public static double MovedPrimaryFraction(HashRing before, HashRing after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.ReplicationFactor == 0 && after.ReplicationFactor == 0)
        {
            return 0;
        }

        if (before.ReplicationFactor == 0 || after.ReplicationFactor == 0)
        {
            return 1;
        }

        var toBefore = IndexMap(after, before);
        var moved = 0;
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            if (toBefore[after.PreferenceIndexes(slot)[0]] != before.PreferenceIndexes(slot)[0])
            {
                moved++;
            }
        }

        return (double)moved / HashSlot.Count;
    }

    /// <summary>
    /// Fraction of the (slot, node) memberships of <paramref name="after"/> that <paramref name="before"/> lacks:
    /// the share of slot copies that must be streamed to a node that did not hold them. 0 when
    /// <paramref name="after"/> is empty.
    /// </summary>
    public static double MovedReplicaFraction(HashRing before, HashRing after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (after.ReplicationFactor == 0)
        {
            return 0;
        }

        var toBefore = IndexMap(after, before);
        var added = 0;
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            var held = before.PreferenceIndexes(slot);
            foreach (var node in after.PreferenceIndexes(slot))
            {
                var previous = toBefore[node];
                if (previous < 0 || !held.Contains(previous))
                {
                    added++;
                }
            }
        }

        return (double)added / after._preferences.Length;
    }

    // Node index in `from` -> index of the same id in `to`, or -1; lets the scans compare ints, not strings.
    private static int[] IndexMap(HashRing from, HashRing to)
    {
        var map = new int[from._nodes.Length];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = to.IndexOf(from._nodes[i]);
        }

        return map;
    }
}
