using RingKV.IntegrationTests.TestKit;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// RingKV answers like redis-server 7, byte for byte: the same commands go to a fresh redis-server and to node 0 of
/// a 3-node cluster (which forwards the keys it does not own, so routing and scatter/gather are on the path).
/// </summary>
/// <remarks><see cref="HarnessSelfCheckTests"/> runs the same sequences against two redis-servers: a mismatch here
/// that does not show there is RingKV's.</remarks>
public sealed class DifferentialTests(SharedCluster shared, ITestOutputHelper output) : IClassFixture<SharedCluster>
{
    private ClusterFixture Cluster => shared.Fixture;

    [Fact]
    public async Task FixedSequences_ThroughNodeZero_ReplyLikeRedis()
    {
        var sequences = SequenceFile.LoadAll();
        await using var redis = await RedisServerProcess.StartAsync();
        await using var harness = await DifferentialHarness.ConnectAsync("redis", redis.Port, "ringkv", Cluster.Nodes[0].Port);
        var perFile = new List<string>();
        foreach (var sequence in sequences)
        {
            var mismatches = await harness.RunAsync(sequence);
            perFile.Add($"{sequence.Name}: {sequence.Commands.Count} commands, {mismatches} mismatches");
        }
        DifferentialTally.AddFixed(harness);
        Console.WriteLine(DifferentialTally.Summary);
        DifferentialReport.Conclude(harness, output, perFile, Cluster.DumpLogs);
    }

    [Fact]
    public async Task RandomSequences_ThroughNodeZero_ReplyLikeRedis()
    {
        var count = DifferentialReport.RandomSequenceCount();
        await using var redis = await RedisServerProcess.StartAsync();
        await using var harness = await DifferentialHarness.ConnectAsync("redis", redis.Port, "ringkv", Cluster.Nodes[0].Port);
        var failing = new List<string>();
        for (var seed = 1; seed <= count && harness.AbortReason is null; seed++)
        {
            var mismatches = await harness.RunAsync(RandomSequences.Generate(seed));
            if (mismatches > 0)
            {
                failing.Add($"seed {seed}: {mismatches} mismatches");
            }
        }
        DifferentialTally.AddRandom(harness);
        Console.WriteLine(DifferentialTally.Summary);
        DifferentialReport.Conclude(harness, output, failing.Take(50), Cluster.DumpLogs);
    }
}
