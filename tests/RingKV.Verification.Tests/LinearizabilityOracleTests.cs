using Xunit.Abstractions;

namespace RingKV.Verification.Tests;

/// <summary>The WGL search (with its memo and pruning) must agree with the definition on every small history.</summary>
public class LinearizabilityOracleTests(ITestOutputHelper output)
{
    [Fact]
    public void SmallRandomHistories_AgreeWithBruteForce()
    {
        int linearizable = 0, notLinearizable = 0, searched = 0;
        for (var seed = 0; seed < 10_000; seed++)
        {
            var ops = RandomSmallHistory(new Random(seed));
            var expected = BruteForce.IsLinearizable(ops);

            var history = new History(ops);
            var actual = LinearizabilityChecker.Check(history).Status;

            Assert.True(
                actual == (expected ? LinearizabilityStatus.Linearizable : LinearizabilityStatus.NotLinearizable),
                $"seed {seed}: expected linearizable={expected}, got {actual}\n{string.Join('\n', ops)}");
            _ = expected ? linearizable++ : notLinearizable++;
            // Refuted by the search itself, not by a single read's anomaly.
            searched += !expected && RegisterChecker.Check(history).Passed ? 1 : 0;
        }

        output.WriteLine($"{linearizable} linearizable, {notLinearizable} not, {searched} of them only by search");
        // Every verdict must be well represented for the comparison to mean something.
        Assert.True(linearizable > 500 && notLinearizable > 500 && searched > 200, $"{linearizable} linearizable, {notLinearizable} not, {searched} of them only by search");
    }

    /// <summary>
    /// Up to 9 operations on one key within a short time span (lots of overlap); reads return absence or a written
    /// value, usually one that could have been current, sometimes any (failed, begun later, never written).
    /// </summary>
    private static Operation[] RandomSmallHistory(Random random)
    {
        var count = random.Next(1, 10);
        var ops = new Operation[count];
        var values = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var invoke = random.Next(0, 30);
            var complete = invoke + random.Next(0, 15);
            if (random.Next(2) == 0)
            {
                var value = $"v{i}";
                values.Add(value);
                var outcome = random.Next(10) switch { 0 => Outcome.Fail, 1 or 2 => Outcome.Unknown, _ => Outcome.Ok };
                ops[i] = new Operation(i, OperationKind.Write, "k", value, invoke, complete, outcome);
            }
            else
            {
                ops[i] = new Operation(i, OperationKind.Read, "k", null, invoke, complete, random.Next(12) == 0 ? Outcome.Unknown : Outcome.Ok);
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (ops[i] is not { Kind: OperationKind.Read, Outcome: Outcome.Ok } read)
            {
                continue;
            }

            // Mostly values that pass the per-read rules' first test (written by a write begun before the read
            // ended), so that many histories can only be refuted by the search; sometimes anything at all.
            var plausible = ops.Where(op => op is { Kind: OperationKind.Write, Outcome: not Outcome.Fail } && op.InvokeTicks <= read.CompleteTicks)
                .Select(op => op.Value).Append(null).ToArray();
            var pick = random.Next(values.Count + 2);
            ops[i] = read with
            {
                Value = random.Next(4) > 0 ? plausible[random.Next(plausible.Length)]
                    : pick < values.Count ? values[pick] : pick == values.Count ? null : "ghost",
            };
        }

        return ops;
    }
}
