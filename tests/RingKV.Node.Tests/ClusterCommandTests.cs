using RingKV.Node.Commands;

namespace RingKV.Node.Tests;

/// <summary>CLUSTER … as a node answers it from its map (here: node-1 alone, serving every slot).</summary>
public sealed class ClusterCommandTests : IAsyncDisposable
{
    private readonly OneNode _node = new();

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    [Theory]
    [InlineData("somekey", 11058)]
    [InlineData("foo{hash_tag}", 2515)]
    [InlineData("bar{hash_tag}", 2515)]
    public async Task KeySlot_MatchesRedisDocumentedExamples(string key, int slot) =>
        Assert.Equal($":{slot}\r\n", await _node.Session("CLUSTER", "KEYSLOT", key));

    [Fact]
    public async Task Slots_OneNodeServesEverySlotAsOneRange()
    {
        var id = NodeSession.ClusterNodeId("node-1");

        Assert.Equal($"*1\r\n*3\r\n:0\r\n:16383\r\n*3\r\n$9\r\n127.0.0.1\r\n:1\r\n$40\r\n{id}\r\n", await _node.Session("CLUSTER", "SLOTS"));
    }

    [Fact]
    public async Task Nodes_MyselfMasterWithAllSlots()
    {
        var reply = await _node.Session("CLUSTER", "NODES");

        Assert.Contains($"{NodeSession.ClusterNodeId("node-1")} 127.0.0.1:1@10001 myself,master - 0 0 1 connected 0-16383\n", reply);
    }

    [Fact]
    public async Task Info_StateOkAndEverySlotAssigned()
    {
        var reply = await _node.Session("CLUSTER", "INFO");

        Assert.Contains("cluster_state:ok\r\ncluster_slots_assigned:16384\r\n", reply);
        Assert.Contains("cluster_known_nodes:1\r\ncluster_size:1\r\n", reply);
    }

    [Fact]
    public async Task MyId_FortyHexDigits_StablePerNodeId()
    {
        var reply = await _node.Session("CLUSTER", "MYID");

        Assert.Equal($"$40\r\n{NodeSession.ClusterNodeId("node-1")}\r\n", reply);
        Assert.Matches("^[0-9a-f]{40}$", NodeSession.ClusterNodeId("node-1"));
        Assert.NotEqual(NodeSession.ClusterNodeId("node-1"), NodeSession.ClusterNodeId("node-2"));
    }

    [Fact]
    public async Task CountAndGetKeysInSlot_SeeLiveLocalKeysOnly()
    {
        await _node.Session("SET", "foo{hash_tag}", "1");
        await _node.Session("SET", "bar{hash_tag}", "2");
        await _node.Session("DEL", "bar{hash_tag}");

        Assert.Equal(":1\r\n", await _node.Session("CLUSTER", "COUNTKEYSINSLOT", "2515"));
        Assert.Equal("*1\r\n$13\r\nfoo{hash_tag}\r\n", await _node.Session("CLUSTER", "GETKEYSINSLOT", "2515", "10"));
    }

    [Theory]
    [InlineData(new[] { "CLUSTER" }, "-ERR wrong number of arguments for 'cluster' command\r\n")]
    [InlineData(new[] { "CLUSTER", "KEYSLOT" }, "-ERR wrong number of arguments for 'cluster|keyslot' command\r\n")]
    [InlineData(new[] { "CLUSTER", "BOGUS" }, "-ERR unknown subcommand 'BOGUS'. Try CLUSTER HELP.\r\n")]
    [InlineData(new[] { "CLUSTER", "COUNTKEYSINSLOT", "16384" }, "-ERR invalid slot\r\n")]
    public async Task BadArguments_RedisErrors(string[] words, string expected) =>
        Assert.Equal(expected, await _node.Session(words));
}
