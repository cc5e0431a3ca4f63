using RingKV.Fuzz.Generation;
using RingKV.Fuzz.Servers;
using RingKV.Fuzz.Targets;
using RingKV.Protocol;

namespace RingKV.Fuzz;

/// <summary>The three campaigns, wired the same way for CI's bounded tests and for the long runs of bench/fuzz.sh.</summary>
internal static class FuzzTargets
{
    public const string Parser = "parser";
    public const string CommandLayer = "command";
    public const string Differential = "differential";

    public static readonly string[] All = [Parser, CommandLayer, Differential];

    /// <summary>The node's limits: the defaults, as `ringkv node` runs without flags.</summary>
    public static RespLimits Limits => RespLimits.Default;

    public static Campaign ParserCampaign(IReadOnlyList<byte[]> corpus, Action<string>? log = null)
    {
        var target = new ParserTarget(Limits);
        return new Campaign(Parser, (input, random) => Task.FromResult(target.Check(input, random)),
            new StreamGenerator(CommandVocabulary.Node, corpus)) { Log = log, ShrinkAttempts = 2000 };
    }

    public static Campaign CommandLayerCampaign(IServerUnderTest node, IReadOnlyList<byte[]> corpus, Action<string>? log = null)
    {
        var target = new CommandLayerTarget(node, Limits);
        return new Campaign(CommandLayer, target.CheckAsync, new StreamGenerator(CommandVocabulary.Node, corpus)) { Log = log, ShrinkAttempts = 300 };
    }

    public static Campaign DifferentialCampaign(IServerUnderTest redis, IServerUnderTest ringkv, IReadOnlyList<byte[]> corpus, Action<string>? log = null)
    {
        var target = new DifferentialTarget(redis, ringkv, Limits);
        return new Campaign(Differential, target.CheckAsync, new StreamGenerator(CommandVocabulary.Differential, corpus))
        {
            Log = log,
            ShrinkAttempts = 300,
            Notes = target.ToleratedSummary,
        };
    }
}
