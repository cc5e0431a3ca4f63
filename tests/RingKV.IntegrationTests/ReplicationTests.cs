using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests;

/// <summary>Any node accepts any key, and every key ends up on N = 3 nodes.</summary>
public sealed class ReplicationTests
{
    private const int KeyCount = 1000;
    private const int ReplicationFactor = 3;

    [Fact]
    public async Task WriteThroughOneNode_1000Keys_ReadableThroughEveryNodeAndStoredOnThreeNodes()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await cluster.VerifyAsync(async () =>
        {
            var pairs = KeyValues.Make("repl", KeyCount);
            await using (var entry = await ClusterFixture.ConnectAsync(cluster.Nodes[0]))
            {
                var failures = await KeyValues.WriteAsync(pairs, entry.SetAsync);
                Assert.True(failures.Count == 0, $"SET through {cluster.Nodes[0].Name} failed: {KeyValues.FirstLines(failures)}");
            }

            foreach (var node in cluster.Nodes)
            {
                await using var connection = await ClusterFixture.ConnectAsync(node);
                var mismatches = await KeyValues.MismatchesAsync(pairs, connection.GetAsync);
                Assert.True(mismatches.Count == 0, $"GET through {node.Name}: {KeyValues.FirstLines(mismatches)}");
            }

            // A write is acknowledged after W = 2 copies; the third copy is sent at once but may land a little later.
            var missing = pairs.Keys.ToList();
            var copies = new Dictionary<string, int>();
            await Eventually.TrueAsync(async () =>
                {
                    var counts = await Task.WhenAll(missing.Select(async key => (Key: key, Copies: await cluster.LocalCopiesAsync(key, pairs[key]))));
                    missing = [.. counts.Where(c => c.Copies != ReplicationFactor).Select(c => c.Key)];
                    copies = counts.Where(c => c.Copies != ReplicationFactor).ToDictionary(c => c.Key, c => c.Copies);
                    return missing.Count == 0;
                },
                TimeSpan.FromSeconds(10), $"every key is stored with its value on exactly {ReplicationFactor} nodes (RKV.LOCALGET)",
                () => KeyValues.FirstLines([.. copies.Select(c => $"{c.Key}: {c.Value} copies")]));

            foreach (var node in cluster.Nodes)
            {
                var count = await cluster.Client.ExecuteOnAsync(ClusterFixture.EndpointOf(node), "RKV.LOCALCOUNT");
                Assert.True(count.Integer == KeyCount, $"{node.Name} holds {count} keys locally; expected exactly the {KeyCount} written");
            }
        });
    }
}
