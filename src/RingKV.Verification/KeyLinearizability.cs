using System.Globalization;

namespace RingKV.Verification;

/// <summary>The linearizability verdict for one key.</summary>
/// <param name="Operations">Operations that took part in the search (see <see cref="LinearizabilityChecker"/> for
/// which are dropped).</param>
/// <param name="Witness">For <see cref="LinearizabilityStatus.NotLinearizable"/>: the operation at which the longest
/// legal prefix got stuck, with the operations around it.</param>
/// <param name="Reason">For <see cref="LinearizabilityStatus.Unknown"/>: why the key was not decided.</param>
/// <param name="StatesExplored">Distinct (linearized set, register value) states the search visited.</param>
public sealed record KeyLinearizability(
    string Key,
    LinearizabilityStatus Status,
    int Operations,
    Anomaly? Witness,
    string? Reason,
    long StatesExplored,
    TimeSpan Elapsed)
{
    /// <summary>One line, then the witness (if any) indented below it.</summary>
    public override string ToString()
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"key {Operation.Quote(Key)}: {LinearizabilityResult.StatusName(Status)} ({Operations} ops, {StatesExplored} states, {Elapsed.TotalMilliseconds:0} ms)");
        if (Reason is not null)
        {
            line += ": " + Reason;
        }

        return Witness is null ? line : line + "\n" + Witness;
    }
}
