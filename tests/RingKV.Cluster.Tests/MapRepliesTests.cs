using System.Buffers;
using RingKV.Cluster.Map;
using RingKV.Protocol;

namespace RingKV.Cluster.Tests;

public class MapRepliesTests
{
    private static readonly ClusterMap Map = TestMaps.Of(4, 2,
        TestMaps.Node(2), TestMaps.Node(1), TestMaps.Node(3, NodeState.Down));

    /// <summary>What a client sees: the reply as written on the wire, parsed back into lines.</summary>
    private static string[] Reply(Action<RespWriter> write, int protocolVersion = 2)
    {
        var output = new ArrayBufferWriter<byte>();
        write(new RespWriter(output, protocolVersion));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(output.WrittenMemory));
        Assert.True(RespReplyParser.TryParse(ref reader, RespLimits.Default, out var value));
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(RespType.Array, value.Type);
        Assert.All(value.Items, item => Assert.Equal(RespType.BulkString, item.Type));
        return [.. value.Items.Select(item => item.AsString()!)];
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void WriteListNodes_OneLinePerNodeSortedById(int protocolVersion) =>
        Assert.Equal(
            ["node-1 127.0.0.1:5001 UP", "node-2 127.0.0.1:5002 UP", "node-3 127.0.0.1:5003 DOWN"],
            Reply(w => MapReplies.WriteListNodes(w, Map), protocolVersion));

    [Fact]
    public void WriteListNodes_EmptyMap_EmptyArray() => Assert.Empty(Reply(w => MapReplies.WriteListNodes(w, ClusterMap.Empty())));

    [Theory]
    [InlineData("user:1")]
    [InlineData("foo")]
    [InlineData("")]
    public void WriteNodesForKey_PrimaryThenReplicasOfTheKey(string key)
    {
        var keyBytes = System.Text.Encoding.UTF8.GetBytes(key);
        var expected = Map.PreferenceListForKey(keyBytes)
            .Select((n, i) => $"{(i == 0 ? "PRIMARY" : "REPLICA")} {n.Id} {n.Endpoint} {(n.IsUp ? "UP" : "DOWN")}");

        var lines = Reply(w => MapReplies.WriteNodesForKey(w, Map, keyBytes));

        Assert.Equal(expected, lines);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("PRIMARY node-", lines[0]);
        Assert.StartsWith("REPLICA node-", lines[1]);
    }

    [Fact]
    public void WriteNodesForKey_SingleNode_OnlyPrimary() =>
        Assert.Equal(["PRIMARY node-1 127.0.0.1:5001 UP"],
            Reply(w => MapReplies.WriteNodesForKey(w, TestMaps.Of(1, 3, TestMaps.Node(1)), "k"u8)));

    [Fact]
    public void WriteNodesForKey_EmptyMap_EmptyArray() =>
        Assert.Empty(Reply(w => MapReplies.WriteNodesForKey(w, ClusterMap.Empty(), "k"u8)));
}
