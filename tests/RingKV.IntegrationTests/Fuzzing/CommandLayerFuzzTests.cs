using RingKV.Fuzz;
using RingKV.Fuzz.Targets;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests.Fuzzing;

/// <summary>
/// A RingKV node under generated, mutated and corpus streams over fresh connections: one reply per request, a clean
/// close after a protocol error, a node that keeps serving and stays within its memory bound (docs/fuzzing.md).
/// </summary>
[Collection(FuzzServersCollection.Name)]
public sealed class CommandLayerFuzzTests(FuzzServers servers, ITestOutputHelper output)
{
    [Fact]
    public async Task GeneratedStreams_NodeAnswersEachRequestAndKeepsServing()
    {
        var iterations = FuzzBudget.Iterations(FuzzBudget.CommandLayerIterations);
        var result = await FuzzTargets.CommandLayerCampaign(servers.RingKv, FuzzBudget.CorpusStreams).RunAsync(FuzzBudget.Seed, iterations, FuzzBudget.MaxDuration);
        FuzzAssert.NoFindings(result, iterations, output);
        Assert.Null(await new CommandLayerTarget(servers.RingKv, FuzzTargets.Limits).HealthAsync());
    }

    [Theory]
    [MemberData(nameof(FuzzBudget.CorpusNames), MemberType = typeof(FuzzBudget))]
    public async Task CorpusStream_NodeAnswersEachRequestAndKeepsServing(string name)
    {
        var target = new CommandLayerTarget(servers.RingKv, FuzzTargets.Limits);
        var failure = await target.CheckAsync(FuzzBudget.CorpusEntry(name), new Random(0)) ?? await target.HealthAsync();
        Assert.True(failure is null, $"{name}: {failure}");
    }
}
