namespace RingKV.Verification.Tests;

/// <summary>
/// Seeded generator of histories that are linearizable by construction: simulated clients issue operations with random
/// overlapping intervals, each operation that takes effect gets a linearization point inside its interval (or, for an
/// unknown write, any time after its invocation), and a register replayed in point order decides what reads return and
/// what the final reads see.
/// </summary>
internal static class HistoryGenerator
{
    public static Generated Generate(
        int seed,
        int processes,
        int keys,
        int operations,
        double unknownRate = 0.02,
        double failRate = 0.01,
        double readRate = 0.5)
    {
        var random = new Random(seed);
        var freeAt = new long[processes];
        var counters = new int[processes];
        var sims = new List<SimOp>(operations);
        for (var i = 0; i < operations; i++)
        {
            // The process that is free first goes next, so intervals of different processes overlap at random.
            var p = Array.IndexOf(freeAt, freeAt.Min());
            var invoke = freeAt[p] + random.Next(0, 20);
            var duration = random.Next(1, 100);
            var complete = invoke + duration;
            freeAt[p] = complete + 1;
            var key = "key-" + random.Next(keys);
            var kind = random.NextDouble() < readRate ? OperationKind.Read : OperationKind.Write;
            var roll = random.NextDouble();
            var outcome = roll < failRate ? Outcome.Fail : roll < failRate + unknownRate ? Outcome.Unknown : Outcome.Ok;
            long? point = outcome switch
            {
                Outcome.Ok => invoke + random.Next(0, duration + 1),
                // An unknown write may land long after the client gave up, or never.
                Outcome.Unknown when kind == OperationKind.Write && random.Next(2) == 0 => invoke + random.Next(0, 3 * duration),
                _ => null,
            };
            var value = kind == OperationKind.Write ? $"p{p}-{counters[p]++}" : null;
            sims.Add(new SimOp(new Operation(p, kind, key, value, invoke, complete, outcome), point, i));
        }

        return new Generated(sims, keys);
    }

    /// <param name="Point">When the operation took effect; null if it never did.</param>
    internal sealed record SimOp(Operation Op, long? Point, int Index);

    internal sealed class Generated(List<SimOp> ops, int keys)
    {
        public IReadOnlyList<SimOp> Ops => ops;

        /// <summary>Replays the register and returns the history, optionally with one write's effect removed.</summary>
        public History ToHistory(SimOp? withoutEffect = null)
        {
            var register = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var k = 0; k < keys; k++)
            {
                register["key-" + k] = null;
            }

            var result = ops.Select(s => s.Op).ToArray();
            foreach (var sim in ops.Where(s => s.Point is not null && s != withoutEffect).OrderBy(s => s.Point).ThenBy(s => s.Index))
            {
                if (sim.Op.Kind == OperationKind.Write)
                {
                    register[sim.Op.Key] = sim.Op.Value;
                }
                else
                {
                    result[sim.Index] = sim.Op with { Value = register[sim.Op.Key] };
                }
            }

            return new History(result, register);
        }

        /// <summary>The write whose value a key ends with, by linearization point; null if the key was never written.</summary>
        public SimOp? LastEffectiveWrite(string key, SimOp? excluding = null) => ops
            .Where(s => s.Op.Kind == OperationKind.Write && s.Op.Key == key && s.Point is not null && s != excluding)
            .OrderBy(s => s.Point).ThenBy(s => s.Index)
            .LastOrDefault();
    }
}
