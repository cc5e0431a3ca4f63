using RingKV.IntegrationTests.TestKit;
using RingKV.Protocol;

namespace RingKV.IntegrationTests;

/// <summary>
/// Whole-keyspace commands answer for the cluster, whichever node is asked: each key counted and listed once
/// (not once per copy), SCAN's cursor walking every node's slots, and multi-key commands spanning slots.
/// </summary>
public sealed class ClusterKeyspaceTests(SharedCluster shared) : IClassFixture<SharedCluster>
{
    private const int KeyCount = 1000;

    private ClusterFixture Cluster => shared.Fixture;

    [Fact]
    public async Task ScanKeysDbSizeRandomKey_SeeEveryKeyOnce_FromAnyNode()
    {
        await Cluster.VerifyAsync(async () =>
        {
            Assert.Equal("OK", (await Execute(0, "FLUSHALL")).AsString());
            var pairs = await Cluster.PreloadAsync("ks:", KeyCount);

            for (var node = 0; node < Cluster.Nodes.Count; node++)
            {
                Assert.Equal(KeyCount, (await Execute(node, "DBSIZE")).Integer);
                var scanned = await ScanAllAsync(node, "COUNT", "37");
                Assert.Equal(KeyCount, scanned.Count); // exactly once each
                Assert.Equal(pairs.Keys.Order(StringComparer.Ordinal), scanned.Order(StringComparer.Ordinal));
            }

            var matching = await ScanAllAsync(1, "MATCH", "ks:1*", "COUNT", "100");
            var expected = pairs.Keys.Where(k => k.StartsWith("ks:1", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            Assert.Equal(expected, matching.Order(StringComparer.Ordinal));
            Assert.Empty(await ScanAllAsync(2, "TYPE", "hash"));

            var keys = (await Execute(2, "KEYS", "ks:*9")).Items.Select(i => i.AsString()!);
            Assert.Equal(pairs.Keys.Where(k => k.EndsWith('9')).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));

            var random = (await Execute(0, "RANDOMKEY")).AsString();
            Assert.Contains(random!, pairs.Keys);
        });
    }

    [Fact]
    public async Task MultiKeyCommands_SpanSlotsAndNodes()
    {
        await Cluster.VerifyAsync(async () =>
        {
            var keys = Enumerable.Range(0, 50).Select(i => $"multi:{i}").ToArray();
            Assert.Equal("OK", (await Execute(0, ["MSET", .. keys.SelectMany(k => new[] { k, "v-" + k })])).AsString());

            var values = await Execute(1, ["MGET", .. keys, "multi:absent"]);
            Assert.Equal([.. keys.Select(k => "v-" + k), null], values.Items.Select(v => v.AsString()));
            Assert.Equal(keys.Length + 1, (await Execute(2, ["EXISTS", .. keys, keys[0]])).Integer); // duplicates count twice
            Assert.Equal(keys.Length, (await Execute(0, ["TOUCH", .. keys, "multi:absent"])).Integer);
            Assert.Equal(25, (await Execute(1, ["UNLINK", .. keys[..25], "multi:absent"])).Integer);
            Assert.Equal(25, (await Execute(2, ["DEL", .. keys, keys[30]])).Integer); // a key named twice is deleted once
            Assert.Equal(0, (await Execute(0, ["EXISTS", .. keys])).Integer);
        });
    }

    [Fact]
    public async Task FlushAll_EmptiesEveryNodesCopies()
    {
        await Cluster.VerifyAsync(async () =>
        {
            await Cluster.PreloadAsync("flush:", 200);
            Assert.Equal("OK", (await Execute(2, "FLUSHALL", "SYNC")).AsString());
            foreach (var node in Cluster.Nodes)
            {
                Assert.Equal(0, await Cluster.IntegerOnAsync(node, "RKV.LOCALCOUNT"));
            }
            Assert.Equal(0, (await Execute(1, "DBSIZE")).Integer);
            Assert.Equal("ERR syntax error", (await Execute(0, "FLUSHALL", "LATER")).AsString());
        });
    }

    /// <summary>SCAN from cursor 0 until the cursor comes back to 0, collecting every key returned.</summary>
    private async Task<List<string>> ScanAllAsync(int node, params string[] options)
    {
        var keys = new List<string>();
        var cursor = "0";
        for (var calls = 0; calls < 10_000; calls++)
        {
            var reply = await Execute(node, ["SCAN", cursor, .. options]);
            Assert.False(reply.IsError, reply.AsString());
            cursor = reply.Items[0].AsString()!;
            keys.AddRange(reply.Items[1].Items.Select(k => k.AsString()!));
            if (cursor == "0")
            {
                return keys;
            }
        }
        throw new InvalidOperationException("SCAN did not finish in 10,000 calls");
    }

    private Task<RespValue> Execute(int node, params string[] command) => Cluster.Client.ExecuteOnAsync(Cluster.NodeEndpoint(node), command);
}
