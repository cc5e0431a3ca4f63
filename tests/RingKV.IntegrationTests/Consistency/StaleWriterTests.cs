using System.Text;
using RingKV.Cli.Local;
using RingKV.IntegrationTests.TestKit;
using RingKV.Placement;
using RingKV.Storage;
using RingKV.Storage.Versioning;

namespace RingKV.IntegrationTests.Consistency;

/// <summary>
/// A primary whose own copy of a key is stale must not acknowledge a write that the replicas then keep hidden
/// behind a newer version. The nemesis tests met this under clock skew and slow links: a node standing in for an
/// unreachable primary (or one that missed writes while it was away) versioned a write from its own old copy and
/// its own slower clock, below a write acknowledged earlier by the other two replicas, so the acknowledged write
/// was never read. Here the earlier write is planted directly on the two replicas (RKV.REPLICATE, stamped a
/// minute ahead as a fast clock would stamp it), which makes the situation exact instead of rare.
/// </summary>
public sealed class StaleWriterTests
{
    private static readonly TimeSpan Ahead = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Set_OnAPrimaryWithAStaleCopy_IsVersionedAboveTheReplicasAndReadBack()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await cluster.VerifyAsync(async () =>
        {
            var (key, primary, replicas) = await KeyLedByAsync(cluster, "stale-set");
            await PlantAsync(replicas, key, "written-by-a-fast-clock");

            await using var client = await ClusterFixture.ConnectAsync(primary);
            var reply = await client.ExecuteAsync("SET", key, "written-later");
            Assert.Equal("OK", reply.AsString());

            // Every node, at QUORUM, now returns the later write: it was versioned above the planted one.
            foreach (var node in cluster.Nodes)
            {
                await using var connection = await ClusterFixture.ConnectAsync(node);
                Assert.Equal("written-later", (await connection.ExecuteAsync("GET", key)).AsString());
            }
            await Eventually.TrueAsync(async () => await cluster.LocalCopiesAsync(key, "written-later") == 3,
                TimeSpan.FromSeconds(10), "all three copies hold the later write");
        });
    }

    [Fact]
    public async Task Incr_AtReadOne_OnAPrimaryWithAStaleCopy_DecidesAgainOnTheNewerValue()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await cluster.VerifyAsync(async () =>
        {
            var (key, primary, replicas) = await KeyLedByAsync(cluster, "stale-incr");
            await PlantAsync(replicas, key, "41");

            // READ ONE: the primary decides from its own (empty) copy first; the replicas refuse that version, and
            // the retry reads a quorum, so the increment applies to 41, not to nothing.
            await using var client = await ClusterFixture.ConnectAsync(primary);
            Assert.Equal("OK", (await client.ExecuteAsync("CONSISTENCY", "READ", "ONE")).AsString());
            var reply = await client.ExecuteAsync("INCR", key);
            Assert.True(reply.Integer == 42, $"INCR answered {reply}; expected 42");

            await using var reader = await ClusterFixture.ConnectAsync(replicas[0]);
            Assert.Equal("42", (await reader.ExecuteAsync("GET", key)).AsString());
        });
    }

    /// <summary>A key whose preference list starts with a node of the cluster, with that node and the other two.</summary>
    private static async Task<(string Key, ManagedProcess Primary, ManagedProcess[] Replicas)> KeyLedByAsync(ClusterFixture cluster, string prefix)
    {
        var map = await cluster.CoordinatorMapAsync();
        var primary = cluster.Nodes[0];
        for (var i = 0; ; i++)
        {
            var key = $"{prefix}-{i}";
            var list = map.PreferenceList(HashSlot.ForKey(Encoding.UTF8.GetBytes(key)));
            if (list.Length == 3 && list[0].Id == primary.Name)
            {
                var replicas = cluster.Nodes.Where(n => n != primary).ToArray();
                Assert.Equal(list.Skip(1).Select(n => n.Id).Order(), replicas.Select(n => n.Name).Order());
                return (key, primary, replicas);
            }
        }
    }

    /// <summary>
    /// Stores <paramref name="value"/> on <paramref name="replicas"/> only, as a primary whose clock runs
    /// <see cref="Ahead"/> would have written it with W = 2, bypassing the key's primary.
    /// </summary>
    private static async Task PlantAsync(IEnumerable<ManagedProcess> replicas, string key, string value)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var slot = HashSlot.ForKey(keyBytes);
        var stamp = HybridLogicalClock.Pack(DateTimeOffset.UtcNow.Add(Ahead).ToUnixTimeMilliseconds(), 0);
        var record = StoredRecord.ForValue(new RecordVersion(stamp, NodeTag: 7), Encoding.UTF8.GetBytes(value));
        foreach (var replica in replicas)
        {
            await using var connection = await ClusterFixture.ConnectAsync(replica);
            var reply = await connection.ExecuteAsync(new ReadOnlyMemory<byte>[]
            {
                "RKV.REPLICATE"u8.ToArray(), Encoding.ASCII.GetBytes(slot.ToString()), keyBytes, RecordCodec.Encode(record),
            });
            Assert.True(reply.Type == Protocol.RespType.Integer && reply.Integer == 0, $"RKV.REPLICATE on {replica.Name} answered {reply}");
        }
    }
}
