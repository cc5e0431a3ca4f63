using System.Text;

namespace RingKV.Verification;

/// <summary>What <see cref="RegisterChecker"/> found. Counts cover the whole history; <see cref="Examples"/> holds at
/// most the requested number of anomalies, in key order.</summary>
public sealed record RegisterResult
{
    /// <summary>Keys checked (keys with duplicate values are skipped).</summary>
    public int KeysChecked { get; internal init; }

    /// <summary>Successful reads checked.</summary>
    public int ReadsChecked { get; internal init; }

    public int PhantomReads { get; internal init; }

    public int StaleReads { get; internal init; }

    public int ReadsOfFailedWrites { get; internal init; }

    /// <summary>Writes repeating a value already written to their key (invalid input; those keys are skipped).</summary>
    public int DuplicateValues { get; internal init; }

    public IReadOnlyList<Anomaly> Examples { get; internal init; } = [];

    /// <summary>No anomaly and valid input.</summary>
    public bool Passed => PhantomReads == 0 && StaleReads == 0 && ReadsOfFailedWrites == 0 && DuplicateValues == 0;

    /// <summary>A one-line summary, then one block per example.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append($"register reads: {(Passed ? "PASS" : "FAIL")} | keys {KeysChecked}, ok reads {ReadsChecked} | ");
        text.Append($"phantom {PhantomReads}, stale {StaleReads}, read of failed write {ReadsOfFailedWrites}");
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
