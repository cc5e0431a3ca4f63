using System.Text;

namespace RingKV.Verification;

/// <summary>One example of a problem, with the operations that show it (the offending one first).</summary>
/// <param name="Explanation">One human-readable sentence on why these operations are inconsistent.</param>
public sealed record Anomaly(AnomalyKind Kind, string Key, string Explanation, IReadOnlyList<Operation> Operations)
{
    /// <summary>Kebab-case name used in reports, e.g. <c>stale-read</c>.</summary>
    public string KindName => Name(Kind);

    /// <summary>The explanation on one line, then each operation indented on its own line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(KindName).Append(" on key ").Append(Operation.Quote(Key)).Append(": ").Append(Explanation);
        foreach (var op in Operations)
        {
            text.Append('\n').Append("    ").Append(op);
        }

        return text.ToString();
    }

    internal static string Name(AnomalyKind kind) => kind switch
    {
        AnomalyKind.DuplicateValue => "duplicate-value",
        AnomalyKind.LostWrite => "lost-write",
        AnomalyKind.PhantomFinal => "phantom-final",
        AnomalyKind.PhantomRead => "phantom-read",
        AnomalyKind.ReadOfFailedWrite => "read-of-failed-write",
        AnomalyKind.StaleRead => "stale-read",
        AnomalyKind.NotLinearizable => "not-linearizable",
        _ => kind.ToString(),
    };
}
