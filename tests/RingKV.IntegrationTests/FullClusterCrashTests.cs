using System.Collections.Concurrent;
using System.Diagnostics;
using RingKV.Client;
using RingKV.IntegrationTests.TestKit;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>
/// Every process of the cluster dies at once, as in a power cut of the whole deployment: with <c>--fsync always</c>
/// an acknowledged write was synced on W = 2 nodes before the client heard OK, so it comes back with them.
/// </summary>
public sealed class FullClusterCrashTests(ITestOutputHelper output)
{
    private const int KeyCount = 10_000;
    private const int BatchSize = 100;
    private const int Writers = 100;
    private const int WriteQuorum = 2;
    private const int ReplicationFactor = 3;

    // Writers keep going through the kill (they are not told about it), so requests are in flight at the instant
    // the processes die and the last ~10 % of the keys are written into a dead cluster: only what was acknowledged
    // is promised, and that is what the test checks.
    private const int KillAfterAcknowledged = 9_000;

    [Fact]
    public async Task FullClusterCrash_FsyncAlways_EveryAcknowledgedKeySurvives()
    {
        await using var cluster = await ClusterFixture.StartAsync(nodeArguments: ["--fsync", "always"]);
        await cluster.VerifyAsync(async () =>
        {
            var pairs = KeyValues.Make("crash", KeyCount).ToArray();
            var acknowledged = new ConcurrentDictionary<string, string>();
            var unacknowledged = new ConcurrentQueue<string>();
            var next = -1;
            var killed = 0;

            void KillEverything()
            {
                foreach (var node in cluster.Nodes)
                {
                    node.Kill();
                }
                cluster.Cluster.Coordinator.Kill();
            }

            // Each writer takes the next key until all are taken: Writers requests in flight at any time.
            async Task WriteAsync()
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < pairs.Length)
                {
                    var (key, value) = pairs[index];
                    try
                    {
                        await cluster.Client.SetAsync(key, value);
                        acknowledged[key] = value;
                    }
                    catch (RingKvException ex)
                    {
                        unacknowledged.Enqueue($"{key}: {ex.Message}");
                    }
                    if (acknowledged.Count >= KillAfterAcknowledged && Interlocked.Exchange(ref killed, 1) == 0)
                    {
                        KillEverything();
                    }
                }
            }

            var writing = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteAsync)));
            Assert.True(killed == 1, $"the writes never reached {KillAfterAcknowledged} acknowledgements, so nothing was killed " +
                $"(acknowledged {acknowledged.Count}, failed {KeyValues.FirstLines(unacknowledged.ToList())})");
            output.WriteLine($"{KeyCount} writes by {Writers} concurrent writers in {writing.Elapsed.TotalSeconds:0.0} s; acknowledged {acknowledged.Count}, " +
                $"not acknowledged (in flight at the kill or sent after it) {unacknowledged.Count}");

            await cluster.RestartCoordinatorAsync();
            foreach (var node in cluster.Nodes.ToList())
            {
                await cluster.RestartNodeAsync(node);
            }
            await cluster.WaitForConvergenceAsync();

            // Copies are counted before anything reads through the cluster: a quorum read repairs missing copies,
            // which would hide a node that lost its data.
            var copies = await CountCopiesAsync(cluster, acknowledged);
            var histogram = string.Join(", ", copies.GroupBy(c => c.Value).OrderBy(g => g.Key).Select(g => $"{g.Count()} keys on {g.Key} nodes"));
            output.WriteLine($"right after the restart: {histogram}");
            var underReplicated = copies.Where(c => c.Value < WriteQuorum).Select(c => $"{c.Key}: {c.Value} nodes hold '{acknowledged[c.Key]}'").ToList();
            Assert.True(underReplicated.Count == 0,
                $"acknowledged keys held by fewer than W = {WriteQuorum} nodes after the restart (RKV.LOCALGET): {KeyValues.FirstLines(underReplicated)}");

            var lost = await KeyValues.MismatchesAsync(acknowledged, cluster.Client.GetAsync);
            output.WriteLine($"acknowledged {acknowledged.Count}, lost {lost.Count} (GET through RingKvClient after the restart)");
            Assert.True(lost.Count == 0, $"acknowledged writes lost in the crash of the whole cluster: {KeyValues.FirstLines(lost)}");

            // Not asserted: the third copy of a write is only promised eventually. Reported to show how the
            // cluster caught up (hints stored before the crash, and the read repair of the reads above).
            await cluster.WaitForHintsDeliveredAsync(TimeSpan.FromSeconds(30));
            var later = await CountCopiesAsync(cluster, acknowledged);
            output.WriteLine($"after hints and read repair: {later.Count(c => c.Value == ReplicationFactor)} of {acknowledged.Count} keys on all {ReplicationFactor} nodes");
        });
    }

    private static async Task<Dictionary<string, int>> CountCopiesAsync(ClusterFixture cluster, IReadOnlyDictionary<string, string> pairs)
    {
        var copies = new Dictionary<string, int>(pairs.Count);
        foreach (var batch in pairs.Chunk(BatchSize))
        {
            var counts = await Task.WhenAll(batch.Select(async pair => (pair.Key, Copies: await cluster.LocalCopiesAsync(pair.Key, pair.Value))));
            foreach (var (key, count) in counts)
            {
                copies[key] = count;
            }
        }
        return copies;
    }
}
