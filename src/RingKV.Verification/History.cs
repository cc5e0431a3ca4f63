using System.Collections.ObjectModel;

namespace RingKV.Verification;

/// <summary>
/// An immutable record of a test run: every client operation, plus the value of each key read after the cluster was
/// healed and quiet (the "final reads"). This library's entry point; the API in brief:
/// <list type="bullet">
/// <item><description>record: <see cref="HistoryRecorder"/> (<c>Invoke</c>/<c>Complete</c> from concurrent clients,
/// then <c>ToHistory(finalReads)</c>), or build one directly from <see cref="Operation"/> values;</description></item>
/// <item><description>save and reload: <see cref="HistoryJson"/> (JSON Lines);</description></item>
/// <item><description>check: <see cref="Verdict.Check"/> runs all three checkers and prints one line;
/// or run <see cref="LostWriteChecker"/>, <see cref="RegisterChecker"/>, <see cref="LinearizabilityChecker"/>
/// alone.</description></item>
/// </list>
/// </summary>
/// <remarks>
/// The workload model has only writes and reads (no deletes), and every write of a key writes a value no other write
/// of that key writes, so each read names the write it observed. The checkers verify that uniqueness themselves and
/// report a violation as invalid input rather than guessing. Thread-safe: immutable after construction.
/// </remarks>
public sealed class History
{
    private KeyHistory[]? _byKey;

    /// <param name="operations">Kept in the given order (a recorder gives invocation order); the checkers do not
    /// depend on it.</param>
    /// <param name="finalReads">Key to value read after healing (<see langword="null"/> = absent). A key with
    /// writes but no entry here is simply not checked for lost writes.</param>
    /// <exception cref="ArgumentException">An operation is malformed: a null key, a write of
    /// <see langword="null"/>, an undefined kind or outcome, or a settled operation that completes before it is
    /// invoked.</exception>
    public History(IEnumerable<Operation> operations, IReadOnlyDictionary<string, string?>? finalReads = null)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var ops = operations.ToArray();
        for (var i = 0; i < ops.Length; i++)
        {
            Validate(ops[i], i);
        }

        Operations = Array.AsReadOnly(ops);
        var finals = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (finalReads is not null)
        {
            foreach (var (key, value) in finalReads)
            {
                finals[key] = value;
            }
        }

        FinalReads = new ReadOnlyDictionary<string, string?>(finals);
    }

    public IReadOnlyList<Operation> Operations { get; }

    public IReadOnlyDictionary<string, string?> FinalReads { get; }

    /// <summary>The operations grouped by key, in ordinal key order; built once, on first use.</summary>
    internal IReadOnlyList<KeyHistory> ByKey => LazyInitializer.EnsureInitialized(ref _byKey, () => KeyHistory.Group(Operations));

    private static void Validate(Operation op, int index)
    {
        if (op is null)
        {
            throw new ArgumentException($"operation {index} is null", nameof(op));
        }

        if (op.Key is null)
        {
            throw new ArgumentException($"operation {index} has no key: {op}", nameof(op));
        }

        if (!Enum.IsDefined(op.Kind) || !Enum.IsDefined(op.Outcome))
        {
            throw new ArgumentException($"operation {index} has an undefined kind or outcome: {op}", nameof(op));
        }

        if (op.Kind == OperationKind.Write && op.Value is null)
        {
            throw new ArgumentException($"operation {index} writes null (the model has no deletes): {op}", nameof(op));
        }

        if (op.Outcome != Outcome.Unknown && op.CompleteTicks < op.InvokeTicks)
        {
            throw new ArgumentException($"operation {index} completes before it is invoked: {op}", nameof(op));
        }
    }
}
