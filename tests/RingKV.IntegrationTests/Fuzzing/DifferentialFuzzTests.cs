using RingKV.Fuzz;
using RingKV.Fuzz.Targets;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests.Fuzzing;

/// <summary>
/// The same byte streams to redis-server and to a RingKV node: the same replies, byte for byte, and the same
/// connection endings, except for the known differences listed in docs/fuzzing.md.
/// </summary>
[Collection(FuzzServersCollection.Name)]
public sealed class DifferentialFuzzTests(FuzzServers servers, ITestOutputHelper output)
{
    [Fact]
    public async Task GeneratedStreams_RingKvAnswersAsRedisDoes()
    {
        var iterations = FuzzBudget.Iterations(FuzzBudget.DifferentialIterations);
        var campaign = FuzzTargets.DifferentialCampaign(servers.Redis, servers.RingKv, FuzzBudget.CorpusStreams);
        var result = await campaign.RunAsync(FuzzBudget.Seed, iterations, FuzzBudget.MaxDuration);
        FuzzAssert.NoFindings(result, iterations, output, campaign.Notes?.Invoke());
    }

    [Theory]
    [MemberData(nameof(FuzzBudget.CorpusNames), MemberType = typeof(FuzzBudget))]
    public async Task CorpusStream_RingKvAnswersAsRedisDoes(string name)
    {
        var failure = await new DifferentialTarget(servers.Redis, servers.RingKv, FuzzTargets.Limits).CheckAsync(FuzzBudget.CorpusEntry(name), new Random(0));
        Assert.True(failure is null, $"{name}: {failure}");
    }
}
