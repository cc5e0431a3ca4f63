using System.Diagnostics;

namespace RingKV.Verification;

/// <summary>
/// Decides whether each key's operations are linearizable as a single register (a read returns the current value, a
/// write sets it, the initial value is absence): is there one total order, consistent with real time, in which every
/// read returns the latest write? This catches what per-read rules cannot, such as two readers observing two
/// concurrent writes in opposite orders.
/// </summary>
/// <remarks>
/// <para>Keys are independent registers, so each is searched separately (P-compositionality: a history is
/// linearizable iff each key's sub-history is) with the WGL algorithm (Wing and Gong's search with Lowe's
/// memoization, as in Knossos and Porcupine).</para>
/// <para>Which operations take part: successful reads; successful writes; writes with an unknown outcome, treated as
/// completing at +infinity (they may take effect any time after their invocation, and "never" is the same as "last,
/// after everything", as Porcupine models timeouts). Unknown writes no successful read observed are dropped (placing
/// them last is always legal), as are failed writes (certainly no effect) and reads that did not succeed (no
/// information). A key with a read that <see cref="RegisterChecker"/> would report (phantom, stale, or of a failed
/// write) is non-linearizable at once, without a search: each of those alone rules out every order. The final reads
/// are not part of this check; see <see cref="LostWriteChecker"/>. Keys whose values are not unique are Unknown
/// (invalid input).</para>
/// <para>Budget: the search is exponential in the worst case (many overlapping operations). Keys are searched smallest
/// first, each within an equal share of the budget left; keys that run out of their share resume in a second pass that
/// splits whatever remains, so one hard key cannot starve the easy ones. Undecided keys are
/// <see cref="LinearizabilityStatus.Unknown"/>. Runs on the calling thread; stateless and thread-safe.</para>
/// </remarks>
public static class LinearizabilityChecker
{
    /// <param name="options">Budget and limits; <see cref="LinearizabilityOptions.Default"/> if null.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive budget or operation cap.</exception>
    public static LinearizabilityResult Check(History history, LinearizabilityOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= LinearizabilityOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Budget, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MaxOperationsPerKey, 0, nameof(options));

        var started = Stopwatch.GetTimestamp();
        var budgetTicks = options.Budget.TotalSeconds >= long.MaxValue / 2 / Stopwatch.Frequency
            ? long.MaxValue / 2
            : (long)(options.Budget.TotalSeconds * Stopwatch.Frequency);
        var deadline = started + budgetTicks;

        var keys = history.ByKey;
        var results = new KeyLinearizability?[keys.Count];
        var searches = new List<(int Index, WglSearch Search)>();
        var duplicates = 0;
        for (var i = 0; i < keys.Count; i++)
        {
            duplicates += keys[i].Duplicates.Count;
            var search = Prepare(keys[i], options, out results[i]);
            if (search is not null)
            {
                searches.Add((i, search));
            }
        }

        var pending = searches.OrderBy(s => s.Search.OperationCount).ToList();
        for (var pass = 0; pass < 2 && pending.Count > 0; pass++)
        {
            var undecided = new List<(int Index, WglSearch Search)>();
            for (var i = 0; i < pending.Count; i++)
            {
                var now = Stopwatch.GetTimestamp();
                var share = Math.Max(0, deadline - now) / (pending.Count - i);
                if (!pending[i].Search.Run(now + share, cancellation))
                {
                    undecided.Add(pending[i]);
                }
            }

            pending = undecided;
        }

        foreach (var (index, search) in searches)
        {
            results[index] = search.ToResult();
        }

        var all = results.Select(r => r!).ToArray();
        return new LinearizabilityResult
        {
            Status = all.Any(k => k.Status == LinearizabilityStatus.NotLinearizable) ? LinearizabilityStatus.NotLinearizable
                : all.Any(k => k.Status == LinearizabilityStatus.Unknown) ? LinearizabilityStatus.Unknown
                : LinearizabilityStatus.Linearizable,
            Keys = all,
            DuplicateValues = duplicates,
            Elapsed = Stopwatch.GetElapsedTime(started),
        };
    }

    /// <summary>Selects the operations that take part and returns their search, or decides the key without one.</summary>
    private static WglSearch? Prepare(KeyHistory key, LinearizabilityOptions options, out KeyLinearizability? decided)
    {
        decided = null;
        if (!key.IsValid)
        {
            decided = Undecided(key.Key, 0, $"{key.Duplicates.Count} duplicate written value(s) (invalid input)");
            return null;
        }

        // A read that is phantom, stale or of a failed write refutes the key on its own, in O(n log n); the search
        // could take exponential time to prove the same on a long, highly concurrent history.
        Anomaly? refutation = null;
        RegisterChecker.CheckKey(key, anomaly => refutation ??= anomaly);
        if (refutation is not null)
        {
            decided = new KeyLinearizability(
                key.Key,
                LinearizabilityStatus.NotLinearizable,
                key.Operations.Count,
                refutation with { Kind = AnomalyKind.NotLinearizable, Explanation = $"{refutation.KindName}: {refutation.Explanation}" },
                null,
                0,
                TimeSpan.Zero);
            return null;
        }

        // An unknown write no successful read observed can always be placed last, i.e. never mattered.
        var observed = new HashSet<Operation>(ReferenceEqualityComparer.Instance);
        foreach (var op in key.Operations)
        {
            if (op is { Kind: OperationKind.Read, Outcome: Outcome.Ok } && key.WriterOf(op.Value) is { } writer)
            {
                observed.Add(writer);
            }
        }

        var ops = key.Operations
            .Where(op => op.Kind == OperationKind.Write
                ? op.Outcome == Outcome.Ok || (op.Outcome == Outcome.Unknown && observed.Contains(op))
                : op.Outcome == Outcome.Ok)
            .OrderBy(op => op.InvokeTicks)
            .ToArray();
        if (ops.Length > options.MaxOperationsPerKey)
        {
            decided = Undecided(key.Key, ops.Length, $"more than {options.MaxOperationsPerKey} operations");
            return null;
        }

        var indexOf = new Dictionary<Operation, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < ops.Length; i++)
        {
            indexOf[ops[i]] = i;
        }

        var expected = ops.Select(op => op.Kind == OperationKind.Read && key.WriterOf(op.Value) is { } w ? indexOf[w] : -1).ToArray();
        return new WglSearch(key.Key, ops, expected);
    }

    private static KeyLinearizability Undecided(string key, int operations, string reason) =>
        new(key, LinearizabilityStatus.Unknown, operations, null, reason, 0, TimeSpan.Zero);
}
