namespace RingKV.Placement.Tests;

public class HashRingBalanceTests
{
    // The bench measured the busiest node at 1.05-1.10x the mean (worst of 50 name sets 1.18) and the idlest
    // at 0.89x or more for these counts at the default; the bounds leave room for that spread.
    private const double MaxOverMean = 1.25;
    private const double MinOverMean = 0.75;

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    public void DefaultRing_SpreadsPrimariesEvenly(int nodes)
    {
        var ring = HashRing.Build(NodeIds.Range(nodes), RingDefaults.VirtualNodesPerNode, RingDefaults.ReplicationFactor);
        var counts = ring.PrimarySlotCounts();
        var mean = (double)HashSlot.Count / nodes;

        Assert.InRange(counts.Max() / mean, 1.0, MaxOverMean);
        Assert.InRange(counts.Min() / mean, MinOverMean, 1.0);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    public void DefaultRing_SpreadsReplicasEvenly(int nodes)
    {
        var ring = HashRing.Build(NodeIds.Range(nodes), RingDefaults.VirtualNodesPerNode, RingDefaults.ReplicationFactor);
        var mean = (double)HashSlot.Count * ring.ReplicationFactor / nodes;

        Assert.InRange(ring.ReplicaSlotCounts().Max() / mean, 1.0, MaxOverMean);
    }
}
