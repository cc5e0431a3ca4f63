using System.Text;

namespace RingKV.Verification;

/// <summary>What <see cref="LostWriteChecker"/> found. Counts cover the whole history; <see cref="Examples"/> holds
/// at most the requested number of anomalies, in key order.</summary>
public sealed record LostWriteResult
{
    public int Operations { get; internal init; }

    public int AcknowledgedWrites { get; internal init; }

    /// <summary>Operations (reads and writes) with <see cref="Outcome.Fail"/>.</summary>
    public int Failed { get; internal init; }

    /// <summary>Operations (reads and writes) with <see cref="Outcome.Unknown"/>.</summary>
    public int Unknown { get; internal init; }

    /// <summary>Keys with a final read that were checked.</summary>
    public int KeysChecked { get; internal init; }

    /// <summary>Keys with acknowledged writes but no final read: their writes could not be checked.</summary>
    public int KeysWithoutFinalRead { get; internal init; }

    public int LostWrites { get; internal init; }

    /// <summary>Keys whose final value no write ever wrote.</summary>
    public int PhantomFinals { get; internal init; }

    /// <summary>Keys whose final value was written by a write that failed.</summary>
    public int FailedWriteFinals { get; internal init; }

    /// <summary>Writes repeating a value already written to their key (invalid input; those keys are skipped).</summary>
    public int DuplicateValues { get; internal init; }

    public IReadOnlyList<Anomaly> Examples { get; internal init; } = [];

    /// <summary>No anomaly and valid input.</summary>
    public bool Passed => LostWrites == 0 && PhantomFinals == 0 && FailedWriteFinals == 0 && DuplicateValues == 0;

    /// <summary>A one-line summary, then one block per example.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append($"lost writes: {(Passed ? "PASS" : "FAIL")} | ops {Operations}, acknowledged writes {AcknowledgedWrites}, ");
        text.Append($"fail {Failed}, unknown {Unknown} | keys checked {KeysChecked}, without final read {KeysWithoutFinalRead} | ");
        text.Append($"lost {LostWrites}, phantom {PhantomFinals}, failed-write finals {FailedWriteFinals}");
        if (DuplicateValues > 0)
        {
            text.Append($", duplicate values {DuplicateValues} (invalid input)");
        }

        foreach (var example in Examples)
        {
            text.Append('\n').Append(example);
        }

        return text.ToString();
    }
}
