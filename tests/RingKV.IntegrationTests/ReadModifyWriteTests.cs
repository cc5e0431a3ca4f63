using System.Globalization;
using RingKV.IntegrationTests.TestKit;
using RingKV.Net;
using RingKV.Protocol;

namespace RingKV.IntegrationTests;

/// <summary>
/// Read-modify-write commands run at the key's primary under the key's lock: callers racing through different
/// nodes never lose an update while the primary is stable, and the multi-key ones are all-or-nothing.
/// </summary>
public sealed class ReadModifyWriteTests(SharedCluster shared) : IClassFixture<SharedCluster>
{
    private const int PerNode = 150;

    private ClusterFixture Cluster => shared.Fixture;

    [Fact]
    public async Task ConcurrentIncrementsAndAppendsThroughEveryNode_LoseNoUpdate()
    {
        await Cluster.VerifyAsync(async () =>
        {
            var connections = await ConnectAllAsync();
            try
            {
                // Every request is in flight at once: each node forwards to the primary, which serializes them.
                var replies = await Task.WhenAll(connections.SelectMany(c => Enumerable.Range(0, PerNode).SelectMany(_ => new[]
                {
                    c.ExecuteAsync("INCR", "rmw:counter"),
                    c.ExecuteAsync("INCRBYFLOAT", "rmw:float", "0.5"),
                    c.ExecuteAsync("APPEND", "rmw:log", "x"),
                    c.ExecuteAsync("DECRBY", "rmw:down", "2"),
                })));
                Assert.DoesNotContain(replies, r => r.IsError);

                var total = connections.Length * PerNode;
                Assert.Equal(total.ToString(CultureInfo.InvariantCulture), await GetAsync("rmw:counter"));
                Assert.Equal((total * 0.5).ToString(CultureInfo.InvariantCulture), await GetAsync("rmw:float"));
                Assert.Equal(total, (await GetAsync("rmw:log"))!.Length);
                Assert.Equal((-2 * total).ToString(CultureInfo.InvariantCulture), await GetAsync("rmw:down"));
                // INCR answers are the values the counter passed through: each exactly once.
                var increments = replies.Where((_, i) => i % 4 == 0).Select(r => r.Integer).Order();
                Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), increments);
            }
            finally
            {
                await DisposeAllAsync(connections);
            }
        });
    }

    [Fact]
    public async Task RacingMsetnx_ExactlyOneWinsAndItsKeysAreWrittenTogether()
    {
        await Cluster.VerifyAsync(async () =>
        {
            var connections = await ConnectAllAsync();
            try
            {
                var replies = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
                    connections[i % connections.Length].ExecuteAsync("MSETNX", "{race}a", $"v{i}", "{race}b", $"v{i}", "{race}c", $"v{i}")));
                Assert.DoesNotContain(replies, r => r.IsError);
                Assert.Equal(1, replies.Sum(r => r.Integer));
                var winner = await GetAsync("{race}a");
                Assert.Equal(winner, await GetAsync("{race}b"));
                Assert.Equal(winner, await GetAsync("{race}c"));
            }
            finally
            {
                await DisposeAllAsync(connections);
            }
        });
    }

    [Fact]
    public async Task Rename_MovesValueAndExpiry_AndRefusesKeysInDifferentSlots()
    {
        await Cluster.VerifyAsync(async () =>
        {
            Assert.Equal("OK", (await Execute(1, "SET", "{user:7}name", "Ada", "EX", "1000")).AsString());
            Assert.Equal("OK", (await Execute(2, "RENAME", "{user:7}name", "{user:7}display")).AsString());
            Assert.Equal("Ada", await GetAsync("{user:7}display"));
            Assert.Null(await GetAsync("{user:7}name"));
            Assert.InRange((await Execute(0, "TTL", "{user:7}display")).Integer, 990, 1000);

            Assert.Equal("OK", (await Execute(0, "SET", "{user:7}other", "x")).AsString());
            Assert.Equal(0, (await Execute(1, "RENAMENX", "{user:7}display", "{user:7}other")).Integer);
            Assert.Equal("ERR no such key", (await Execute(1, "RENAME", "{user:7}missing", "{user:7}x")).AsString());

            var crossSlot = await Execute(0, "RENAME", "{user:7}display", "elsewhere");
            Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", crossSlot.AsString());
            Assert.Equal("Ada", await GetAsync("{user:7}display"));
        });
    }

    private async Task<RespConnection[]> ConnectAllAsync() => await Task.WhenAll(Cluster.Nodes.Select(ClusterFixture.ConnectAsync));

    private static async Task DisposeAllAsync(RespConnection[] connections)
    {
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }

    private Task<RespValue> Execute(int node, params string[] command) => Cluster.Client.ExecuteOnAsync(Cluster.NodeEndpoint(node), command);

    private async Task<string?> GetAsync(string key) => (await Execute(0, "GET", key)).AsString();
}
