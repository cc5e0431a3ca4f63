namespace RingKV.Verification.Tests;

/// <summary>
/// The definition of linearizability for one register, applied literally: try every subset of the unknown writes
/// and every order of the operations that respects real time. Exponential; for histories of a handful of operations.
/// </summary>
internal static class BruteForce
{
    public static bool IsLinearizable(IReadOnlyList<Operation> history)
    {
        var certain = history.Where(op => op is { Outcome: Outcome.Ok }).ToList();
        var optional = history.Where(op => op is { Kind: OperationKind.Write, Outcome: Outcome.Unknown }).ToList();
        for (var mask = 0; mask < 1 << optional.Count; mask++)
        {
            var ops = certain.Concat(optional.Where((_, i) => (mask & (1 << i)) != 0)).ToArray();
            if (AnyOrder(ops, new bool[ops.Length], 0, null))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyOrder(Operation[] ops, bool[] used, int placed, string? register)
    {
        if (placed == ops.Length)
        {
            return true;
        }

        for (var i = 0; i < ops.Length; i++)
        {
            // ops[i] may go next only if no unplaced operation completed before it was invoked.
            if (used[i] || Enumerable.Range(0, ops.Length).Any(j => !used[j] && j != i && Completes(ops[j]) < ops[i].InvokeTicks))
            {
                continue;
            }

            var op = ops[i];
            if (op.Kind == OperationKind.Read && op.Value != register)
            {
                continue;
            }

            used[i] = true;
            var found = AnyOrder(ops, used, placed + 1, op.Kind == OperationKind.Write ? op.Value : register);
            used[i] = false;
            if (found)
            {
                return true;
            }
        }

        return false;
    }

    private static long Completes(Operation op) => op.Outcome == Outcome.Unknown ? long.MaxValue : op.CompleteTicks;
}
