namespace RingKV.Placement.Tests;

public class HashRingBuildTests
{
    [Fact]
    public void Build_NodeOrder_DoesNotChangePlacement()
    {
        var ids = NodeIds.Range(12);
        var reversed = ids.Reverse().ToArray();
        var shuffled = ids.OrderBy(id => id.Length).ThenByDescending(id => id, StringComparer.Ordinal).ToArray();

        var a = HashRing.Build(ids, 32, 3);
        var b = HashRing.Build(reversed, 32, 3);
        var c = HashRing.Build(shuffled, 32, 3);

        Assert.Equal(a.Nodes, b.Nodes);
        Assert.Equal(a.Nodes, c.Nodes);
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            Assert.True(a.PreferenceIndexes(slot).SequenceEqual(b.PreferenceIndexes(slot)), $"slot {slot}");
            Assert.True(a.PreferenceIndexes(slot).SequenceEqual(c.PreferenceIndexes(slot)), $"slot {slot}");
        }
    }

    [Fact]
    public void Build_Nodes_AreSortedOrdinally()
    {
        var ring = HashRing.Build(["node-2", "node-10", "node-1"], 4, 3);

        Assert.Equal(["node-1", "node-10", "node-2"], ring.Nodes);
        Assert.Equal(1, ring.IndexOf("node-10"));
        Assert.Equal(-1, ring.IndexOf("node-3"));
    }

    [Theory]
    [InlineData(5, 3, 3)]
    [InlineData(3, 3, 3)]
    [InlineData(2, 3, 2)]
    [InlineData(1, 3, 1)]
    [InlineData(4, 1, 1)]
    public void PreferenceList_HoldsEffectiveFactorOfDistinctNodes(int nodes, int requested, int effective)
    {
        var ring = HashRing.Build(NodeIds.Range(nodes), 16, requested);

        Assert.Equal(effective, ring.ReplicationFactor);
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            var list = ring.PreferenceList(slot);
            Assert.Equal(effective, list.Length);
            Assert.Equal(effective, list.Distinct().Count());
            Assert.Equal(list[0], ring.Primary(slot));
        }
    }

    [Fact]
    public void SlotCounts_AddUpToSlotsTimesFactor()
    {
        var ring = HashRing.Build(NodeIds.Range(7), 16, 3);

        Assert.Equal(HashSlot.Count, ring.PrimarySlotCounts().Sum());
        Assert.Equal(HashSlot.Count * 3, ring.ReplicaSlotCounts().Sum());
    }

    [Fact]
    public void Build_NoNodes_HasEmptyListsAndNoPrimary()
    {
        var ring = HashRing.Build([], 16, 3);

        Assert.Empty(ring.Nodes);
        Assert.Equal(0, ring.ReplicationFactor);
        Assert.True(ring.PreferenceIndexes(0).IsEmpty);
        Assert.Empty(ring.PreferenceList(HashSlot.Count - 1));
        Assert.Empty(ring.PrimarySlotCounts());
        var error = Assert.Throws<InvalidOperationException>(() => ring.Primary(0));
        Assert.Contains("no nodes", error.Message);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(16, 0)]
    [InlineData(-1, 3)]
    public void Build_ParameterBelowOne_Throws(int vnodes, int rf) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HashRing.Build(NodeIds.Range(3), vnodes, rf));

    [Fact]
    public void Build_BadIds_Throw()
    {
        Assert.Throws<ArgumentException>(() => HashRing.Build(["a", "b", "a"], 4, 3));
        Assert.Throws<ArgumentException>(() => HashRing.Build(["a", ""], 4, 3));
        Assert.Throws<ArgumentException>(() => HashRing.Build(["a", null!], 4, 3));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(HashSlot.Count)]
    public void Lookups_SlotOutOfRange_Throw(int slot)
    {
        var ring = HashRing.Build(NodeIds.Range(3), 4, 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => ring.PreferenceIndexes(slot).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Primary(slot));
    }
}
