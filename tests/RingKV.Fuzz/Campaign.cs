using System.Diagnostics;
using System.Text.RegularExpressions;
using RingKV.Fuzz.Generation;

namespace RingKV.Fuzz;

/// <summary>
/// Runs one target over generated streams until an iteration count or a deadline, shrinks each new kind of failure
/// and reports it with the seed that reproduces it.
/// </summary>
/// <remarks>
/// Iteration <c>i</c> of a campaign with seed <c>s</c> uses seed <c>s + i</c> for both its stream and the target's own
/// choices (where to cut the stream), so <c>--seed s+i --iterations 1</c> replays it alone. Failures whose first line
/// matches an earlier one once digits are ignored count as repeats: they are tallied, not shrunk again.
/// </remarks>
internal sealed partial class Campaign(string target, Func<byte[], Random, Task<string?>> check, StreamGenerator generator)
{
    /// <summary>Per-target budget for shrinking one failure.</summary>
    public int ShrinkAttempts { get; init; } = 400;

    /// <summary>Distinct findings after which the campaign stops (the target is probably broken for good).</summary>
    public int MaxFindings { get; init; } = 10;

    public Action<string>? Log { get; init; }

    /// <summary>Target-specific statistics for the final report (the differential target's known differences).</summary>
    public Func<string>? Notes { get; init; }

    public async Task<CampaignResult> RunAsync(int seed, long maxIterations, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var findings = new List<Finding>();
        var repeats = new Dictionary<string, int>();
        long iterations = 0;
        var nextReport = TimeSpan.FromSeconds(30);
        while (iterations < maxIterations && clock.Elapsed < duration && findings.Count < MaxFindings)
        {
            var iterationSeed = unchecked(seed + (int)iterations);
            var input = generator.Next(new Random(iterationSeed));
            iterations++;
            var failure = await CheckAsync(input, iterationSeed);
            if (failure is not null)
            {
                var signature = Signature(failure);
                if (repeats.TryGetValue(signature, out var seen))
                {
                    repeats[signature] = seen + 1;
                }
                else
                {
                    repeats[signature] = 1;
                    var minimized = await Shrinker.ShrinkAsync(input, async candidate => await CheckAsync(candidate, iterationSeed) is not null, ShrinkAttempts);
                    var message = await CheckAsync(minimized, iterationSeed) ?? failure;
                    var finding = new Finding(target, iterationSeed, message, input, minimized);
                    findings.Add(finding);
                    Log?.Invoke(finding.ToString());
                }
            }
            if (clock.Elapsed >= nextReport)
            {
                Log?.Invoke($"{target}: {iterations} iterations in {clock.Elapsed.TotalSeconds:0} s, {findings.Count} distinct findings");
                nextReport += TimeSpan.FromSeconds(30);
            }
        }
        return new CampaignResult(target, seed, iterations, clock.Elapsed, findings, repeats.Values.Sum());
    }

    /// <summary>Runs the target once; an exception thrown by the fuzzer's own plumbing is reported as a failure too.</summary>
    public async Task<string?> CheckAsync(byte[] input, int iterationSeed)
    {
        try
        {
            return await check(input, new Random(~iterationSeed));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"the check itself threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    private static string Signature(string failure)
    {
        var firstLine = failure.Split('\n')[0];
        return Digits().Replace(firstLine.Length > 120 ? firstLine[..120] : firstLine, "#");
    }

    // Numbers and escaped bytes vary between repeats of one bug ("\xa3" vs "\xd9" as an unknown command's name).
    [GeneratedRegex(@"\\x[0-9a-f]{2}|\d+")]
    private static partial Regex Digits();
}
