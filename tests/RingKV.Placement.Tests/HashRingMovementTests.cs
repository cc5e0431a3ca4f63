namespace RingKV.Placement.Tests;

public class HashRingMovementTests
{
    private static HashRing Ring(params string[] ids) =>
        HashRing.Build(ids, RingDefaults.VirtualNodesPerNode, RingDefaults.ReplicationFactor);

    [Fact]
    public void AddingFourthNode_MovesAboutAQuarterOfPrimaries_AllToTheNewNode()
    {
        var before = Ring(NodeIds.Range(3));
        var after = Ring(NodeIds.Range(4));

        Assert.InRange(HashRing.MovedPrimaryFraction(before, after), 0.15, 0.35);
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            if (before.Primary(slot) != after.Primary(slot))
            {
                Assert.Equal("node-4", after.Primary(slot));
            }
        }
    }

    [Fact]
    public void AddingNode_OnlyInsertsItIntoPreferenceLists()
    {
        var before = Ring(NodeIds.Range(4));
        var after = Ring(NodeIds.Range(5));

        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            var old = before.PreferenceList(slot);
            var kept = after.PreferenceList(slot).Where(id => id != "node-5").ToArray();
            Assert.Equal(old.Take(kept.Length), kept);
        }
    }

    [Fact]
    public void RemovingNode_OnlyMovesSlotsItHeld()
    {
        var before = Ring(NodeIds.Range(5));
        var after = Ring(NodeIds.Range(5).Where(id => id != "node-2").ToArray());

        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            if (before.Primary(slot) != "node-2")
            {
                Assert.Equal(before.Primary(slot), after.Primary(slot));
            }

            var survivors = before.PreferenceList(slot).Where(id => id != "node-2").ToArray();
            Assert.Equal(survivors, after.PreferenceList(slot).Take(survivors.Length));
        }

        var share = (double)before.PrimarySlotCounts()[before.IndexOf("node-2")] / HashSlot.Count;
        Assert.Equal(share, HashRing.MovedPrimaryFraction(before, after));
    }

    [Fact]
    public void MovedReplicaFraction_CountsCopiesTheNewNodeMustReceive()
    {
        var before = Ring(NodeIds.Range(4));
        var after = Ring(NodeIds.Range(5));
        var copiesOnNewNode = after.ReplicaSlotCounts()[after.IndexOf("node-5")];

        Assert.Equal((double)copiesOnNewNode / (HashSlot.Count * 3), HashRing.MovedReplicaFraction(before, after));
    }

    [Fact]
    public void SameMembership_MovesNothing()
    {
        var a = Ring(NodeIds.Range(6));
        var b = Ring(NodeIds.Range(6).Reverse().ToArray());

        Assert.Equal(0, HashRing.MovedPrimaryFraction(a, b));
        Assert.Equal(0, HashRing.MovedReplicaFraction(a, b));
    }

    [Fact]
    public void FromEmptyRing_EverythingMoves()
    {
        var empty = Ring();
        var full = Ring(NodeIds.Range(3));

        Assert.Equal(1, HashRing.MovedPrimaryFraction(empty, full));
        Assert.Equal(1, HashRing.MovedReplicaFraction(empty, full));
        Assert.Equal(0, HashRing.MovedReplicaFraction(full, empty));
    }
}
