using System.Globalization;
using System.Text;

namespace RingKV.Verification;

/// <summary>
/// The combined result of the three checkers on one history, in the form the <c>ringkv verify</c> verb and the
/// workload runner print.
/// </summary>
/// <remarks>
/// <para>Typical use:</para>
/// <code>
/// var recorder = new HistoryRecorder();                          // shared by all logical clients
/// var op = recorder.Invoke(process, OperationKind.Write, key, "p3-17");
/// recorder.Complete(op, Outcome.Ok);                             // or Fail / Unknown, see Outcome
/// ...                                                            // heal the cluster, read every key
/// var history = recorder.ToHistory(finalReads);
/// HistoryJson.Save(history, "run.jsonl");                        // keep it for re-checking
/// var verdict = Verdict.Check(history);
/// Console.WriteLine(verdict.SummaryLine);                        // one line; verdict.Details for the examples
/// return verdict.Passed ? 0 : 1;
/// </code>
/// <para>The summary line reads, e.g.:
/// <c>PASS | ops 4000 ok 3950 fail 0 unknown 50 | lost 0 phantom 0 stale 0 failed-read 0 | linearizable yes (48 keys), unknown 2 keys</c>.
/// The first word is <c>PASS</c> (no anomaly, every key decided), <c>INCONCLUSIVE</c> (no anomaly, some key not
/// decided within the budget), <c>FAIL</c> (some anomaly) or <c>INVALID</c> (written values are not unique per key,
/// so the history cannot be judged).</para>
/// </remarks>
public sealed record Verdict(LostWriteResult LostWrites, RegisterResult Registers, LinearizabilityResult Linearizability)
{
    /// <summary>Runs <see cref="LostWriteChecker"/>, <see cref="RegisterChecker"/> and <see cref="LinearizabilityChecker"/>.</summary>
    /// <param name="maxExamples">Per checker, at most this many examples in the details.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
    public static Verdict Check(
        History history,
        LinearizabilityOptions? options = null,
        int maxExamples = 10,
        CancellationToken cancellation = default) =>
        new(
            LostWriteChecker.Check(history, maxExamples),
            RegisterChecker.Check(history, maxExamples),
            LinearizabilityChecker.Check(history, options, cancellation));

    /// <summary>Written values are unique per key, so the history could be judged.</summary>
    public bool ValidInput => LostWrites.DuplicateValues == 0;

    /// <summary>Valid input and no checker found an anomaly (keys left undecided by the linearizability budget do not
    /// count against it; see <see cref="Inconclusive"/>).</summary>
    public bool Passed => LostWrites.Passed && Registers.Passed && Linearizability.Status != LinearizabilityStatus.NotLinearizable;

    /// <summary>Passed, but the linearizability search left some key undecided.</summary>
    public bool Inconclusive => Passed && Linearizability.Status == LinearizabilityStatus.Unknown;

    /// <summary>One line: <c>PASS</c>/<c>INCONCLUSIVE</c>/<c>FAIL</c>/<c>INVALID</c>, then the counts (see remarks).</summary>
    public string SummaryLine
    {
        get
        {
            var l = LostWrites;
            var r = Registers;
            var z = Linearizability;
            var word = !ValidInput ? "INVALID" : !Passed ? "FAIL" : Inconclusive ? "INCONCLUSIVE" : "PASS";
            var text = new StringBuilder(word);
            if (!ValidInput)
            {
                text.Append(CultureInfo.InvariantCulture, $" ({l.DuplicateValues} duplicate written values)");
            }

            var ok = l.Operations - l.Failed - l.Unknown;
            text.Append(CultureInfo.InvariantCulture, $" | ops {l.Operations} ok {ok} fail {l.Failed} unknown {l.Unknown}");
            text.Append(CultureInfo.InvariantCulture, $" | lost {l.LostWrites} phantom {l.PhantomFinals + r.PhantomReads} stale {r.StaleReads}");
            text.Append(CultureInfo.InvariantCulture, $" failed-read {l.FailedWriteFinals + r.ReadsOfFailedWrites}");
            text.Append(" | linearizable ");
            text.Append(z.NotLinearizableKeys > 0
                ? string.Create(CultureInfo.InvariantCulture, $"NO ({z.NotLinearizableKeys} of {z.Keys.Count} keys)")
                : string.Create(CultureInfo.InvariantCulture, $"yes ({z.LinearizableKeys} keys)"));
            if (z.UnknownKeys > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $", unknown {z.UnknownKeys} keys");
            }

            return text.ToString();
        }
    }

    /// <summary>Each checker's own report (summary and examples), one after another; keys the linearizability check
    /// left undecided are listed with the reason.</summary>
    public string Details => string.Join('\n', LostWrites.ToString(), Registers.ToString(), Linearizability.ToString());

    /// <summary><see cref="SummaryLine"/> then <see cref="Details"/>.</summary>
    public override string ToString() => SummaryLine + "\n" + Details;
}
