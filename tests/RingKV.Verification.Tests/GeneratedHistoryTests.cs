namespace RingKV.Verification.Tests;

/// <summary>
/// Checkers against histories that are linearizable by construction (no checker may complain) and against
/// the same histories with one injected fault (the relevant checkers must complain).
/// </summary>
public class GeneratedHistoryTests
{
    private const int Seeds = 300;

    [Fact]
    public void ValidHistories_PassEveryChecker()
    {
        for (var seed = 0; seed < Seeds; seed++)
        {
            var history = Generate(seed).ToHistory();

            var verdict = Verdict.Check(history);

            Assert.True(verdict.Passed && !verdict.Inconclusive, $"seed {seed}: {verdict}");
        }
    }

    [Fact]
    public void DroppingTheEffectOfTheLastAcknowledgedWrite_IsALostWrite()
    {
        var applicable = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var generated = Generate(seed);
            var victim = FindDroppableWrite(generated);
            if (victim is null)
            {
                continue;
            }

            applicable++;
            var history = generated.ToHistory(withoutEffect: victim);

            var result = LostWriteChecker.Check(history);

            Assert.True(result.LostWrites >= 1, $"seed {seed}, dropped {victim.Op}: {result}");
            Assert.Contains(result.Examples, a => a.Kind == AnomalyKind.LostWrite && ReferenceEquals(a.Operations[0], history.Operations[victim.Index]));
            Assert.False(Verdict.Check(history).Passed);
        }

        Assert.True(applicable > Seeds / 2, $"only {applicable} of {Seeds} seeds had a write whose loss is detectable");
    }

    [Fact]
    public void ReplacingAReadValueWithASupersededOne_IsStaleAndNotLinearizable()
    {
        var applicable = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var history = Generate(seed).ToHistory();
            var mutated = ReplaceWithSupersededValue(history, new Random(seed));
            if (mutated is null)
            {
                continue;
            }

            applicable++;
            var register = RegisterChecker.Check(mutated);
            var linearizability = LinearizabilityChecker.Check(mutated);

            Assert.True(register.StaleReads >= 1, $"seed {seed}: {register}");
            Assert.Equal(LinearizabilityStatus.NotLinearizable, linearizability.Status);
        }

        Assert.True(applicable > Seeds * 9 / 10, $"only {applicable} of {Seeds} seeds had a read to make stale");
    }

    private static HistoryGenerator.Generated Generate(int seed)
    {
        // Vary the shape with the seed: few or many processes (concurrency) and keys (contention).
        var random = new Random(seed);
        return HistoryGenerator.Generate(seed, processes: random.Next(2, 9), keys: random.Next(1, 5), operations: random.Next(20, 150), unknownRate: 0.05, failRate: 0.03);
    }

    /// <summary>
    /// An acknowledged write that decides its key's final value, whose predecessor (in linearization order) completed
    /// before it began or does not exist: without its effect the key ends strictly older, which must be reported.
    /// </summary>
    private static HistoryGenerator.SimOp? FindDroppableWrite(HistoryGenerator.Generated generated)
    {
        foreach (var key in generated.Ops.Select(s => s.Op.Key).Distinct())
        {
            var last = generated.LastEffectiveWrite(key);
            if (last is not { Op.Outcome: Outcome.Ok })
            {
                continue;
            }

            var previous = generated.LastEffectiveWrite(key, excluding: last);
            if (previous is null || (previous.Op.Outcome == Outcome.Ok && previous.Op.CompleteTicks < last.Op.InvokeTicks))
            {
                return last;
            }
        }

        return null;
    }

    /// <summary>
    /// Picks a successful read r and an acknowledged write w' completed before r began, and makes r return a value (or
    /// absence) that was superseded before w' began: a stale read by definition.
    /// </summary>
    private static History? ReplaceWithSupersededValue(History history, Random random)
    {
        var ops = history.Operations.ToArray();
        var candidates = Enumerable.Range(0, ops.Length).Where(i => ops[i] is { Kind: OperationKind.Read, Outcome: Outcome.Ok }).OrderBy(_ => random.Next());
        foreach (var i in candidates)
        {
            var read = ops[i];
            var acknowledged = ops.Where(op => op is { Kind: OperationKind.Write, Outcome: Outcome.Ok } && op.Key == read.Key).ToArray();
            foreach (var newer in acknowledged.Where(w => w.CompleteTicks < read.InvokeTicks))
            {
                var older = acknowledged.FirstOrDefault(w => w.CompleteTicks < newer.InvokeTicks && w.Value != read.Value);
                // Absence is superseded by any acknowledged write.
                var value = older is not null ? older.Value : read.Value is not null ? null : "unchanged";
                if (value != "unchanged")
                {
                    ops[i] = read with { Value = value };
                    return new History(ops, history.FinalReads);
                }
            }
        }

        return null;
    }
}
