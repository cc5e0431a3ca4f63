namespace RingKV.Placement.Tests;

// Every node must compute the same placement, across processes and releases. These values were computed once
// (and reproduced by an independent implementation) and pinned: if one fails, a hash input or the walk changed,
// and nodes of different versions would disagree about who owns a slot.
public class HashRingGoldenTests
{
    private static readonly HashRing Ring = HashRing.Build(NodeIds.Range(3), 256, 3);

    [Theory]
    [InlineData(0, "node-1", "node-3", "node-2")]
    [InlineData(1, "node-2", "node-3", "node-1")]
    [InlineData(866, "node-1", "node-2", "node-3")]
    [InlineData(5061, "node-2", "node-1", "node-3")]
    [InlineData(12182, "node-2", "node-3", "node-1")]
    [InlineData(16383, "node-3", "node-2", "node-1")]
    public void PreferenceList_IsPinned(int slot, string primary, string second, string third) =>
        Assert.Equal([primary, second, third], Ring.PreferenceList(slot));

    // Any change to token or slot hashing reshuffles these counts, even when the sampled slots above survive it.
    [Fact]
    public void PrimarySlotCounts_ArePinned() => Assert.Equal([4987, 5994, 5403], Ring.PrimarySlotCounts());
}
