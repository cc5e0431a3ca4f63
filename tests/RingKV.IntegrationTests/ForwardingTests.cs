using RingKV.IntegrationTests.TestKit;
using RingKV.Net;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>
/// Any node accepts any key and forwards it to the key's acting primary, so plain Redis clients connected to
/// different nodes write concurrently through forwards that cross: the two directions must not wait on each other.
/// </summary>
public sealed class ForwardingTests(ITestOutputHelper output)
{
    private const int KeyCount = 1_000;

    /// <remarks>
    /// With one node of three down, each write needs the one other survivor's acknowledgement, so nothing masks a
    /// request that waits behind another on the connection between the two survivors.
    /// </remarks>
    [Fact]
    public async Task WritesThroughBothSurvivors_OneOfThreeDown_EveryWriteAcknowledged()
    {
        await using var cluster = await ClusterFixture.StartAsync(failureTimeout: ClusterFixture.FastFailureTimeout);
        await cluster.VerifyAsync(async () =>
        {
            var victim = cluster.Nodes[1];
            victim.Kill();
            await cluster.WaitForStateAsync(victim, "DOWN", cluster.DownDeadline);
            await cluster.WaitForConvergenceAsync();

            var survivors = cluster.Nodes.Where(n => n != victim).ToList();
            var connections = await Task.WhenAll(survivors.Select(ClusterFixture.ConnectAsync));
            try
            {
                var pairs = KeyValues.Make("crossing", KeyCount);
                var turn = 0;
                RespConnection Next() => connections[(Interlocked.Increment(ref turn) & int.MaxValue) % connections.Length];
                var failures = await KeyValues.WriteAsync(pairs, (k, v) => Next().SetAsync(k, v));
                output.WriteLine($"{KeyCount} writes round robin through {string.Join(" and ", survivors.Select(s => s.Name))}: {failures.Count} failed");
                Assert.True(failures.Count == 0,
                    $"writes through the two survivors (each forwarding to the other) failed: {KeyValues.FirstLines(failures)}");

                var mismatches = await KeyValues.MismatchesAsync(pairs, cluster.Client.GetAsync);
                Assert.True(mismatches.Count == 0, $"reads after the writes: {KeyValues.FirstLines(mismatches)}");
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }
        });
    }
}
