using System.Text.Json;
using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.Cluster.Tests;

public class ClusterMapTests
{
    private static readonly ClusterMap Sample = TestMaps.Of(7, 2,
        TestMaps.Node(3), TestMaps.Node(1), TestMaps.Node(2, NodeState.Down), TestMaps.Node(4));

    [Fact]
    public void FromJson_OfToJson_PreservesEverything()
    {
        var copy = ClusterMap.FromJson(Sample.ToJson());

        Assert.Equal(7, copy.Epoch);
        Assert.Equal(2, copy.ReplicationFactor);
        Assert.Equal(TestMaps.VirtualNodes, copy.VirtualNodesPerNode);
        Assert.Equal<NodeEntry>(Sample.Nodes, copy.Nodes);
        Assert.Equal(NodeState.Down, copy.Find("node-2")!.State);
    }

    [Fact]
    public void FromJson_OfToJson_SamePlacement()
    {
        var copy = ClusterMap.FromJson(Sample.ToJson());

        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            Assert.Equal(Sample.PreferenceList(slot), copy.PreferenceList(slot));
        }
    }

    [Fact]
    public void ToJson_StatesWrittenAsUpperCaseNames()
    {
        using var doc = JsonDocument.Parse(Sample.ToJson());

        var states = doc.RootElement.GetProperty("nodes").EnumerateArray()
            .Select(n => (n.GetProperty("id").GetString(), n.GetProperty("state").GetString()));

        Assert.Equal([("node-1", "UP"), ("node-2", "DOWN"), ("node-3", "UP"), ("node-4", "UP")], states);
        Assert.Equal(7, doc.RootElement.GetProperty("epoch").GetInt64());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{")]
    [InlineData("[1, 2]")]
    [InlineData("null")]
    [InlineData("{\"epoch\": \"seven\"}")]
    [InlineData("{\"epoch\": 1, \"replicationFactor\": 3, \"virtualNodesPerNode\": 16, \"nodes\": [{\"id\": \"a\", \"host\": \"h\", \"port\": 1, \"state\": \"MAYBE\"}]}")]
    public void FromJson_Garbage_ThrowsFormatException(string json) => Assert.Throws<FormatException>(() => ClusterMap.FromJson(json));

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"epoch\": -1, \"replicationFactor\": 3, \"virtualNodesPerNode\": 16, \"nodes\": []}")]
    [InlineData("{\"epoch\": 1, \"replicationFactor\": 0, \"virtualNodesPerNode\": 16, \"nodes\": []}")]
    [InlineData("{\"epoch\": 1, \"replicationFactor\": 3, \"virtualNodesPerNode\": 0, \"nodes\": []}")]
    [InlineData("{\"epoch\": 1, \"replicationFactor\": 3, \"virtualNodesPerNode\": 16, \"nodes\": [null]}")]
    [InlineData("{\"epoch\": 1, \"replicationFactor\": 3, \"virtualNodesPerNode\": 16, \"nodes\": [{\"host\": \"h\", \"port\": 1, \"state\": \"UP\"}]}")]
    [InlineData("{\"epoch\": 1, \"replicationFactor\": 3, \"virtualNodesPerNode\": 16, \"nodes\": [{\"id\": \"a\", \"host\": \"h\", \"port\": 1, \"state\": 7}]}")]
    [InlineData("{\"epoch\": 1, \"replicationFactor\": 3, \"virtualNodesPerNode\": 16, \"nodes\": [{\"id\": \"a\", \"host\": \"h\", \"port\": 1, \"state\": \"UP\"}, {\"id\": \"a\", \"host\": \"h\", \"port\": 2, \"state\": \"UP\"}]}")]
    public void FromJson_WellFormedJsonButNotAMap_ThrowsFormatException(string json) =>
        Assert.Throws<FormatException>(() => ClusterMap.FromJson(json));

    [Fact]
    public void FromJson_EmptyMap_RoundTrips()
    {
        var copy = ClusterMap.FromJson(ClusterMap.Empty().ToJson());

        Assert.Equal(0, copy.Epoch);
        Assert.Empty(copy.Nodes);
    }

    [Fact]
    public void Constructor_NodeOrderDoesNotMatter()
    {
        var forward = TestMaps.Of(1, 3, TestMaps.Node(1), TestMaps.Node(2), TestMaps.Node(3), TestMaps.Node(4));
        var shuffled = TestMaps.Of(1, 3, TestMaps.Node(3), TestMaps.Node(1), TestMaps.Node(4), TestMaps.Node(2));

        Assert.Equal(["node-1", "node-2", "node-3", "node-4"], shuffled.Nodes.Select(n => n.Id));
        Assert.Equal<NodeEntry>(forward.Nodes, shuffled.Nodes);
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            Assert.Equal(forward.PreferenceList(slot), shuffled.PreferenceList(slot));
        }
    }

    [Fact]
    public void Constructor_NegativeEpoch_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TestMaps.Of(-1, 3, TestMaps.Node(1)));

    [Fact]
    public void WithNode_NewNode_AddsAndAdvancesEpochWithoutTouchingOriginal()
    {
        var original = TestMaps.Of(5, 3, TestMaps.Node(1), TestMaps.Node(2));

        var next = original.WithNode(TestMaps.Node(3));

        Assert.Equal(6, next.Epoch);
        Assert.Equal(["node-1", "node-2", "node-3"], next.Nodes.Select(n => n.Id));
        Assert.Equal(5, original.Epoch);
        Assert.Equal(["node-1", "node-2"], original.Nodes.Select(n => n.Id));
        Assert.Null(original.Find("node-3"));
    }

    [Fact]
    public void WithNode_ExistingId_ReplacesEntry()
    {
        var original = TestMaps.Of(5, 3, TestMaps.Node(1), TestMaps.Node(2));

        var next = original.WithNode(TestMaps.Node(2, NodeState.Down) with { Port = 6000 });

        Assert.Equal(6, next.Epoch);
        Assert.Equal(2, next.Nodes.Length);
        Assert.Equal(new NodeEntry("node-2", "127.0.0.1", 6000, NodeState.Down), next.Find("node-2"));
        Assert.Equal(TestMaps.Node(2), original.Find("node-2"));
    }

    [Fact]
    public void WithoutNode_RemovesAndAdvancesEpochWithoutTouchingOriginal()
    {
        // Only a node outside the ring (and outside any target) can leave the map.
        var original = new ClusterMap(5, 3, TestMaps.VirtualNodes, [TestMaps.Node(1), TestMaps.Node(2)], members: ["node-2"]);

        var next = original.WithoutNode("node-1");

        Assert.Equal(6, next.Epoch);
        Assert.Equal(["node-2"], next.Nodes.Select(n => n.Id));
        Assert.Equal<string>(["node-2"], next.Members);
        Assert.Equal(5, original.Epoch);
        Assert.NotNull(original.Find("node-1"));
    }

    [Fact]
    public void WithoutNode_Member_Throws()
    {
        var original = TestMaps.Of(5, 3, TestMaps.Node(1), TestMaps.Node(2));

        Assert.Throws<ArgumentException>(() => original.WithoutNode("node-1"));
    }

    [Fact]
    public void PreferenceList_ReplicationFactorDistinctNodesPrimaryFirst()
    {
        var map = TestMaps.Of(1, 3, [.. Enumerable.Range(1, 6).Select(n => TestMaps.Node(n))]);

        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            var list = map.PreferenceList(slot);
            Assert.Equal(3, list.Length);
            Assert.Equal(3, list.Select(n => n.Id).Distinct().Count());
            Assert.Equal(map.Ring.Primary(slot), list[0].Id);
            Assert.Equal(map.Ring.PreferenceIndexes(slot).ToArray().Select(i => map.Nodes[i]), list);
        }
    }

    [Fact]
    public void PreferenceList_FewerNodesThanFactor_ListsEveryNode()
    {
        var map = TestMaps.Of(1, 3, TestMaps.Node(1), TestMaps.Node(2));

        Assert.Equal(["node-1", "node-2"], map.PreferenceList(0).Select(n => n.Id).Order());
    }

    [Fact]
    public void PreferenceList_EmptyMap_Empty() => Assert.Empty(ClusterMap.Empty().PreferenceList(123));

    [Fact]
    public void PreferenceListForKey_UsesKeySlot()
    {
        var map = TestMaps.Of(1, 2, TestMaps.Node(1), TestMaps.Node(2), TestMaps.Node(3));

        Assert.Equal(map.PreferenceList(HashSlot.ForKey("user:42"u8)), map.PreferenceListForKey("user:42"u8));
    }

    [Fact]
    public void Find_UnknownId_Null() => Assert.Null(Sample.Find("node-9"));

    [Fact]
    public void Empty_HasEpochZeroAndNoNodes()
    {
        var map = ClusterMap.Empty(replicationFactor: 2, virtualNodesPerNode: 8);

        Assert.Equal(0, map.Epoch);
        Assert.Empty(map.Nodes);
        Assert.Equal(2, map.ReplicationFactor);
        Assert.Equal(8, map.VirtualNodesPerNode);
    }
}
