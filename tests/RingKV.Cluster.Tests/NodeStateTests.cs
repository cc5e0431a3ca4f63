using RingKV.Cluster.Map;

namespace RingKV.Cluster.Tests;

/// <summary>Pins <see cref="NodeState"/>: it is persisted in the coordinator's map file and shown to users.</summary>
public class NodeStateTests
{
    [Fact]
    public void NodeState_ValuesArePinned()
    {
        Assert.Equal(1, (int)NodeState.Up);
        Assert.Equal(2, (int)NodeState.Down);
        Assert.Equal(2, Enum.GetValues<NodeState>().Length);
    }

    [Theory]
    [InlineData(NodeState.Up, "UP")]
    [InlineData(NodeState.Down, "DOWN")]
    public void StateName_IsUpperCaseWord(NodeState state, string expected) => Assert.Equal(expected, MapReplies.StateName(state));
}
