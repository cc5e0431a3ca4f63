using RingKV.Cluster;
using RingKV.Cluster.Map;
using RingKV.Node.Replication;

namespace RingKV.Node.Tests;

public sealed class WriteQuorumTests
{
    private static NodeEntry[] Nodes(params string[] ids) => [.. ids.Select(id => new NodeEntry(id, "127.0.0.1", 1, NodeState.Up))];

    private static WriteQuorum Acknowledged(SlotReplicas replicas, Consistency level, params string[] ids)
    {
        var quorum = new WriteQuorum(replicas, level);
        foreach (var id in ids)
        {
            quorum.Acknowledge(id);
        }
        return quorum;
    }

    [Fact]
    public void StableRing_TwoOfThree_Met()
    {
        var replicas = new SlotReplicas(Nodes("a", "b", "c"), null);

        Assert.False(Acknowledged(replicas, Consistency.Quorum, "a").IsMet);
        Assert.True(Acknowledged(replicas, Consistency.Quorum, "a", "c").IsMet);
        Assert.Equal(new WriteOutcome(true, 2, 2), Acknowledged(replicas, Consistency.Quorum, "b", "c").Outcome());
    }

    [Fact]
    public void Transition_QuorumOfCurrentOnly_NotMet()
    {
        // Current a,b,c; target d,a,b. b and c are a current quorum but only one target copy.
        var replicas = new SlotReplicas(Nodes("a", "b", "c"), Nodes("d", "a", "b"));

        var quorum = Acknowledged(replicas, Consistency.Quorum, "b", "c");

        Assert.False(quorum.IsMet);
        Assert.Equal(new WriteOutcome(false, 1, 2), quorum.Outcome());
    }

    [Fact]
    public void Transition_QuorumOfTargetOnly_NotMet()
    {
        var replicas = new SlotReplicas(Nodes("a", "b", "c"), Nodes("d", "a", "b"));

        var quorum = Acknowledged(replicas, Consistency.Quorum, "d", "a");

        Assert.False(quorum.IsMet);
        Assert.Equal(new WriteOutcome(false, 1, 2), quorum.Outcome());
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("d", "a", "c")]
    [InlineData("d", "b", "c")]
    public void Transition_QuorumInBothLists_Met(params string[] acknowledged)
    {
        var replicas = new SlotReplicas(Nodes("a", "b", "c"), Nodes("d", "a", "b"));

        Assert.True(Acknowledged(replicas, Consistency.Quorum, acknowledged).IsMet);
    }

    [Fact]
    public void Transition_All_NeedsEveryNodeOfBothLists()
    {
        var replicas = new SlotReplicas(Nodes("a", "b", "c"), Nodes("d", "a", "b"));

        Assert.False(Acknowledged(replicas, Consistency.All, "a", "b", "c").IsMet);
        Assert.True(Acknowledged(replicas, Consistency.All, "a", "b", "c", "d").IsMet);
    }

    [Fact]
    public void Transition_One_NeedsOneCopyInEachList()
    {
        var replicas = new SlotReplicas(Nodes("a", "b", "c"), Nodes("d", "a", "b"));

        Assert.False(Acknowledged(replicas, Consistency.One, "c").IsMet);
        Assert.True(Acknowledged(replicas, Consistency.One, "a").IsMet);
        Assert.True(Acknowledged(replicas, Consistency.One, "c", "d").IsMet);
    }
}
