namespace RingKV.IntegrationTests.Fuzzing;

/// <summary>
/// How much CI fuzzes: each target's fixed iteration count times <c>RINGKV_FUZZ_SCALE</c> (default 1; 0.1 for a quick
/// local run, 10 or more for a longer one), from the base seed <c>RINGKV_FUZZ_SEED</c> (default fixed, so a CI failure
/// replays exactly). Long campaigns run through bench/fuzz.sh instead.
/// </summary>
internal static class FuzzBudget
{
    public const int ParserIterations = 20_000;
    public const int CommandLayerIterations = 4_000;
    public const int DifferentialIterations = 2_000;

    /// <summary>A run that outgrows this is cut short (and says so) rather than holding CI hostage.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(3);

    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("RINGKV_FUZZ_SEED"), out var seed) ? seed : 20_261_124;

    public static long Iterations(int baseline) =>
        double.TryParse(Environment.GetEnvironmentVariable("RINGKV_FUZZ_SCALE"), System.Globalization.CultureInfo.InvariantCulture, out var scale) && scale > 0
            ? Math.Max(1, (long)(baseline * scale))
            : baseline;

    /// <summary>The corpus copied next to the test assembly, plus the generated seeds.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Corpus { get; } =
        RingKV.Fuzz.Corpus.Load(Path.Combine(AppContext.BaseDirectory, "fuzz-corpus"));

    public static IReadOnlyList<byte[]> CorpusStreams { get; } = [.. Corpus.Select(entry => entry.Bytes)];

    public static TheoryData<string> CorpusNames()
    {
        var names = new TheoryData<string>();
        foreach (var (name, _) in Corpus)
        {
            names.Add(name);
        }
        return names;
    }

    public static byte[] CorpusEntry(string name) => Corpus.First(entry => entry.Name == name).Bytes;
}
