using System.Collections.Concurrent;
using System.Diagnostics;
using RingKV.Client;
using RingKV.IntegrationTests.TestKit;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>A node dies with requests in flight; no write the client saw acknowledged may be lost.</summary>
public sealed class NodeCrashUnderLoadTests(ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int TotalOperations = 2000;
    private const int KillAfterAcknowledged = 500;
    private static readonly TimeSpan MaxLoadDuration = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task NodeVanishesMidRequest_ConcurrentWrites_NoAcknowledgedWriteLost()
    {
        await using var cluster = await ClusterFixture.StartAsync(failureTimeout: ClusterFixture.FastFailureTimeout);
        await cluster.VerifyAsync(async () =>
        {
            var victim = cluster.Nodes[1];
            var acknowledged = new ConcurrentDictionary<string, string>();
            var failed = new ConcurrentQueue<string>();
            var nextOperation = -1;
            var operationsAfterKill = 0;
            var killed = 0;
            var load = Stopwatch.StartNew();
            TimeSpan? killedAt = null;

            async Task WorkerAsync(int worker)
            {
                while (load.Elapsed < MaxLoadDuration)
                {
                    var operation = Interlocked.Increment(ref nextOperation);
                    if (operation >= TotalOperations)
                    {
                        return;
                    }
                    if (Volatile.Read(ref killed) == 1)
                    {
                        Interlocked.Increment(ref operationsAfterKill);
                    }
                    // Unique key per operation: whatever reads back must be exactly this value.
                    var key = $"load:{operation}";
                    var value = $"worker-{worker}-op-{operation}";
                    try
                    {
                        await cluster.Client.SetAsync(key, value);
                        acknowledged[key] = value;
                    }
                    catch (RingKvException ex)
                    {
                        failed.Enqueue($"{key}: {ex.Message}");
                    }
                    if (acknowledged.Count >= KillAfterAcknowledged && Interlocked.Exchange(ref killed, 1) == 0)
                    {
                        // The other workers keep their requests in flight while this one kills the node.
                        victim.Kill();
                        killedAt = load.Elapsed;
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkerAsync(w))));
            var loadTime = load.Elapsed;
            var attempted = acknowledged.Count + failed.Count;

            var lost = await KeyValues.MismatchesAsync(acknowledged, cluster.Client.GetAsync);
            output.WriteLine($"{victim.Name} killed at {killedAt?.TotalSeconds:0.00} s; load ran {loadTime.TotalSeconds:0.00} s with {Workers} workers");
            output.WriteLine($"ops {attempted}, acknowledged {acknowledged.Count}, failed {failed.Count}, started after kill {operationsAfterKill}, lost {lost.Count}");
            foreach (var failure in failed.Take(10))
            {
                output.WriteLine("failed (not acknowledged, allowed): " + failure);
            }

            Assert.True(killed == 1, $"the load never reached {KillAfterAcknowledged} acknowledged writes, so no node was killed (failed: {failed.Count})");
            Assert.True(operationsAfterKill > 0, "no operation started after the kill; the test exercised nothing");
            Assert.True(lost.Count == 0, $"acknowledged writes lost or unreadable: {KeyValues.FirstLines(lost)}");
        });
    }
}
