namespace RingKV.Verification;

/// <summary>
/// The operations of one key, with each written value mapped to its write. Keys are independent in the register
/// model, so every checker works key by key on these.
/// </summary>
internal sealed class KeyHistory
{
    private KeyHistory(string key, Operation[] operations, Dictionary<string, Operation> writeByValue, Anomaly[] duplicates)
    {
        Key = key;
        Operations = operations;
        WriteByValue = writeByValue;
        Duplicates = duplicates;
    }

    public string Key { get; }

    /// <summary>All operations on the key, in history order.</summary>
    public IReadOnlyList<Operation> Operations { get; }

    /// <summary>Written value to the write that wrote it (the first one, when the input has duplicates).</summary>
    public IReadOnlyDictionary<string, Operation> WriteByValue { get; }

    /// <summary>One <see cref="AnomalyKind.DuplicateValue"/> per write that repeats an earlier write's value.</summary>
    public IReadOnlyList<Anomaly> Duplicates { get; }

    /// <summary>Whether the key's reads can be attributed to writes; checkers skip it otherwise.</summary>
    public bool IsValid => Duplicates.Count == 0;

    /// <summary>The write that produced <paramref name="value"/>; <see langword="null"/> for absence or a value never written.</summary>
    public Operation? WriterOf(string? value) =>
        value is not null && WriteByValue.TryGetValue(value, out var write) ? write : null;

    public static KeyHistory[] Group(IReadOnlyList<Operation> operations)
    {
        var byKey = new Dictionary<string, List<Operation>>(StringComparer.Ordinal);
        foreach (var op in operations)
        {
            if (!byKey.TryGetValue(op.Key, out var list))
            {
                byKey[op.Key] = list = [];
            }

            list.Add(op);
        }

        return [.. byKey.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => Build(pair.Key, pair.Value))];
    }

    private static KeyHistory Build(string key, List<Operation> operations)
    {
        var writeByValue = new Dictionary<string, Operation>(StringComparer.Ordinal);
        var duplicates = new List<Anomaly>();
        foreach (var op in operations)
        {
            if (op.Kind != OperationKind.Write)
            {
                continue;
            }

            // History's constructor rejects writes of null.
            if (!writeByValue.TryAdd(op.Value!, op))
            {
                duplicates.Add(new Anomaly(
                    AnomalyKind.DuplicateValue,
                    key,
                    $"value {Operation.Quote(op.Value)} is written twice, so a read of it cannot name its write (invalid input; key not checked)",
                    [op, writeByValue[op.Value!]]));
            }
        }

        return new KeyHistory(key, [.. operations], writeByValue, [.. duplicates]);
    }
}
