using System.Globalization;
using System.Text;

namespace RingKV.Verification;

/// <summary>
/// One client operation as the client saw it: an interval of real time [<see cref="InvokeTicks"/>,
/// <see cref="CompleteTicks"/>] on one monotonic clock shared by all processes of a run (Stopwatch ticks,
/// nanoseconds: any unit, the checkers only compare ticks with each other).
/// </summary>
/// <param name="Process">Logical client id. A process has at most one operation outstanding at a time.</param>
/// <param name="Value">For a write, the value written (never <see langword="null"/>; unique per key within a run, so
/// every read names the write it saw). For an <see cref="Outcome.Ok"/> read, the value returned, <see langword="null"/>
/// when the key was absent. For reads that did not succeed it carries no meaning and should be null.</param>
/// <param name="CompleteTicks">When the client got its answer, or gave up (for <see cref="Outcome.Unknown"/>).
/// The checkers ignore it for <see cref="Outcome.Unknown"/> operations and treat them as completing at
/// <see cref="long.MaxValue"/>, because their effect may land at any later time; a recorder may store the give-up
/// time here for diagnosis, or <see cref="long.MaxValue"/> when there was none.</param>
/// <param name="Note">Free text for people: the error a failed or unknown operation got.</param>
/// <remarks>
/// Ticks are compared strictly: two operations are ordered only if one completed at a tick strictly less than the
/// other's invocation. Equal ticks count as concurrent, which can only hide an anomaly, never invent one.
/// </remarks>
public sealed record Operation(
    int Process,
    OperationKind Kind,
    string Key,
    string? Value,
    long InvokeTicks,
    long CompleteTicks,
    Outcome Outcome,
    string? Note = null)
{
    /// <summary>The completion time in the checkers' view: <see cref="long.MaxValue"/> for unknown outcomes.</summary>
    internal long EffectiveCompleteTicks => Outcome == Outcome.Unknown ? long.MaxValue : CompleteTicks;

    /// <summary>Whether this operation certainly finished before <paramref name="other"/> was invoked.</summary>
    internal bool Precedes(Operation other) => EffectiveCompleteTicks < other.InvokeTicks;

    /// <summary>
    /// One line for reports, e.g. <c>p3 write "k" = "p3-17" ok [1200..1450]</c> or
    /// <c>p1 read "k" -> nil unknown [1300..?] (timeout)</c>.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append('p').Append(Process.ToString(CultureInfo.InvariantCulture)).Append(' ');
        if (Kind == OperationKind.Write)
        {
            text.Append("write ").Append(Quote(Key)).Append(" = ").Append(Quote(Value));
        }
        else
        {
            text.Append("read ").Append(Quote(Key));
            if (Outcome == Outcome.Ok)
            {
                text.Append(" -> ").Append(Quote(Value));
            }
        }

        text.Append(' ').Append(HistoryJson.OutcomeName(Outcome));
        text.Append(" [").Append(InvokeTicks.ToString(CultureInfo.InvariantCulture)).Append("..");
        text.Append(Outcome == Outcome.Unknown && CompleteTicks == long.MaxValue
            ? "?"
            : CompleteTicks.ToString(CultureInfo.InvariantCulture));
        text.Append(']');
        if (Note is not null)
        {
            text.Append(" (").Append(Note).Append(')');
        }

        return text.ToString();
    }

    internal static string Quote(string? value) => value is null ? "nil" : "\"" + value + "\"";
}
