namespace RingKV.Fuzz;

/// <summary>The outcome of one target's campaign.</summary>
/// <param name="Failures">Failing iterations, repeats of a known finding included.</param>
internal sealed record CampaignResult(string Target, int Seed, long Iterations, TimeSpan Elapsed, IReadOnlyList<Finding> Findings, int Failures)
{
    public override string ToString() =>
        $"{Target}: {Iterations} iterations in {Elapsed.TotalSeconds:0.0} s (seed {Seed}), {Findings.Count} distinct findings"
        + $" ({Findings.Count(f => f.Kind == "crash")} crashes, {Findings.Count(f => f.Kind == "hang")} hangs, {Findings.Count(f => f.Kind == "mismatch")} mismatches, {Findings.Count(f => f.Kind == "violation")} other violations), {Failures} failing iterations";
}
