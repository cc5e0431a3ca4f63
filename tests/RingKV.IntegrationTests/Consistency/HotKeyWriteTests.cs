using System.Text;
using RingKV.IntegrationTests.TestKit;
using RingKV.Placement;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests.Consistency;

/// <summary>
/// Many clients writing one key at once, as <c>redis-benchmark</c> does without <c>-r</c>. Concurrent blind SETs
/// through one primary are ordered by their versions and every one of them is acknowledged: none was replaced by
/// anything but a concurrent write. Before the primary queued its writes to each replica in version order, two
/// replicas could receive two such SETs in opposite orders, each refused a different one as superseded, and some
/// SETs ended with NOREPLICAS (ADR 0009's rule, applied to writes it was never meant to refuse).
/// </summary>
public sealed class HotKeyWriteTests(ITestOutputHelper output)
{
    private const int Connections = 16;
    private const int WritesPerConnection = 250;

    [Fact]
    public async Task ConcurrentSets_OfOneKey_AreAllAcknowledgedAndTheCopiesAgree()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await cluster.VerifyAsync(async () =>
        {
            const string key = "hot-key";
            var map = await cluster.CoordinatorMapAsync();
            var primary = cluster.Nodes.Single(n => n.Name == map.PreferenceList(HashSlot.ForKey(Encoding.UTF8.GetBytes(key)))[0].Id);
            // Every connection pipelines its writes (all in flight at once) to the key's primary. Through other nodes
            // as well, forwards queued longer than half the peer timeout on this loaded machine would expire and their
            // nodes would write as substitutes (ADR 0008): two primaries, whose writes may supersede each other.
            var connections = await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => ClusterFixture.ConnectAsync(primary)));
            try
            {
                var replies = await Task.WhenAll(connections.SelectMany((connection, c) => Enumerable.Range(0, WritesPerConnection)
                    .Select(w => connection.ExecuteAsync("SET", key, $"{c}-{w}"))));

                var errors = replies.Where(r => r.IsError).Select(r => r.AsString()).ToList();
                output.WriteLine($"{replies.Length} SETs, {errors.Count} errors{(errors.Count > 0 ? ", first: " + errors[0] : "")}");
                Assert.Empty(errors);
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }

            // Whichever write has the highest version wins on every copy, and a QUORUM read returns it.
            await using var reader = await ClusterFixture.ConnectAsync(cluster.Nodes[0]);
            var value = (await reader.ExecuteAsync("GET", key)).AsString();
            Assert.Matches(@"^\d+-\d+$", value);
            await Eventually.TrueAsync(async () => await cluster.LocalCopiesAsync(key, value!) == 3,
                TimeSpan.FromSeconds(10), $"all three copies hold {value}");
        });
    }
}
