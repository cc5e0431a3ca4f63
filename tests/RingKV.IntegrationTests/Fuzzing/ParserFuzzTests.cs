using RingKV.Fuzz;
using RingKV.Fuzz.Targets;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RingKV.IntegrationTests.Fuzzing;

/// <summary>
/// The RESP readers under generated, mutated and corpus streams, whole and in pieces (docs/fuzzing.md has the
/// invariants). No server: these run in the test process.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GeneratedStreams_ParsersKeepEveryInvariant()
    {
        var iterations = FuzzBudget.Iterations(FuzzBudget.ParserIterations);
        var result = await FuzzTargets.ParserCampaign(FuzzBudget.CorpusStreams).RunAsync(FuzzBudget.Seed, iterations, FuzzBudget.MaxDuration);
        FuzzAssert.NoFindings(result, iterations, output);
    }

    [Theory]
    [MemberData(nameof(FuzzBudget.CorpusNames), MemberType = typeof(FuzzBudget))]
    public void CorpusStream_ParsersKeepEveryInvariant(string name)
    {
        var failure = new ParserTarget(FuzzTargets.Limits).Check(FuzzBudget.CorpusEntry(name), new Random(0));
        Assert.True(failure is null, $"{name}: {failure}");
    }

    [Fact]
    public void CorpusIsThere() => Assert.True(FuzzBudget.Corpus.Count > 40, $"only {FuzzBudget.Corpus.Count} corpus streams were found next to the test assembly");

    [Fact]
    public async Task FailingIteration_ReplaysFromItsSeedAndShrinks()
    {
        // A target that fails on any stream holding "$-": the campaign must report it with the seed that regenerates
        // the same stream, and shrink it to that failing core.
        var campaign = new Campaign("self-check", (input, _) => Task.FromResult(input.AsSpan().IndexOf("$-"u8) >= 0 ? "saw $-" : null),
            new RingKV.Fuzz.Generation.StreamGenerator(RingKV.Fuzz.Generation.CommandVocabulary.Node, []));
        var result = await campaign.RunAsync(1, 5_000, TimeSpan.FromMinutes(1));

        var finding = Assert.Single(result.Findings);
        Assert.Equal("$-"u8.ToArray(), finding.Minimized);
        Assert.Equal(finding.Input, new RingKV.Fuzz.Generation.StreamGenerator(RingKV.Fuzz.Generation.CommandVocabulary.Node, []).Next(new Random(finding.Seed)));
    }

    [Fact]
    public void BrokenCodecs_AreCaught()
    {
        var stream = "*1\r\n$4\r\nPING\r\n"u8.ToArray();
        AssertCaught(new BrokenCodec(BrokenCodec.Fault.Preallocates), stream, "allocated");
        AssertCaught(new BrokenCodec(BrokenCodec.Fault.Throws), stream, "crash");
        AssertCaught(new BrokenCodec(BrokenCodec.Fault.ConsumesNothing), stream, "without consuming");
        AssertCaught(new BrokenCodec(BrokenCodec.Fault.DependsOnSegments), stream, "segment");
    }

    private static void AssertCaught(FrameCodec codec, byte[] stream, string expected)
    {
        var failure = new ParserTarget(codec).Check(stream, new Random(1));
        if (failure is null || !failure.Contains(expected, StringComparison.Ordinal))
        {
            throw new XunitException($"a codec that {codec.Name} was reported as: {failure ?? "fine"}");
        }
    }
}
