using System.Text;
using RingKV.IntegrationTests.TestKit;
using RingKV.Placement;

namespace RingKV.IntegrationTests.Consistency;

/// <summary>
/// A write forwarded to a primary that then stops answering has an unknown outcome: the primary may have run it.
/// Running it again on another replica could apply it twice, and the second run, under a newer version, would undo
/// any write acknowledged in between (the pause nemesis found a value read, overwritten, then back). So the node
/// answers TIMEOUT for such a write and sends only reads elsewhere.
/// </summary>
public sealed class UnknownOutcomeTests
{
    [Fact]
    public async Task WriteForwardedToAPausedPrimary_IsAnsweredTimeout_ReadIsServedByAnotherReplica()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await cluster.VerifyAsync(async () =>
        {
            var map = await cluster.CoordinatorMapAsync();
            var primary = cluster.Nodes[0];
            var entry = cluster.Nodes[1];
            var key = Enumerable.Range(0, 10_000).Select(i => $"unknown-outcome-{i}")
                .First(k => map.PreferenceList(HashSlot.ForKey(Encoding.UTF8.GetBytes(k)))[0].Id == primary.Name);

            await using var client = await ClusterFixture.ConnectAsync(entry);
            Assert.Equal("OK", (await client.ExecuteAsync("SET", key, "before")).AsString());
            // Warm the forwarding connection, so the write below is certainly sent, not refused at connect.
            Assert.Equal("before", (await client.ExecuteAsync("GET", key)).AsString());

            primary.Pause(true);
            try
            {
                var write = await client.ExecuteAsync("SET", key, "during");
                Assert.True(write.IsError && write.AsString()!.StartsWith("TIMEOUT", StringComparison.Ordinal),
                    $"a write whose primary stopped answering was answered {write}, not TIMEOUT");

                // A read changes nothing, so it moves on to the next replica. The write did not run anywhere else.
                var read = await client.ExecuteAsync("GET", key);
                Assert.Equal("before", read.AsString());
            }
            finally
            {
                primary.Pause(false);
            }

            // Writes work again once the primary is back (the late forward in its socket is refused as expired).
            Assert.Equal("OK", (await client.ExecuteAsync("SET", key, "after")).AsString());
            Assert.Equal("after", (await client.ExecuteAsync("GET", key)).AsString());
        });
    }
}
