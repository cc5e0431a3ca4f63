using System.Text;

namespace RingKV.IntegrationTests.Differential;

/// <summary>One command whose replies disagreed (or a sequence whose setup failed: step 0).</summary>
/// <param name="Sequence">The sequence file name, or "random seed N".</param>
/// <param name="Step">1-based index of the command in its sequence; 0 for the FLUSHALL/DBSIZE setup.</param>
/// <param name="Line">The line in the sequence file; 0 for generated commands.</param>
/// <param name="Reference">The reference side's reply, escaped (see <see cref="Escaping"/>).</param>
/// <param name="Note">Why the replies disagree when the bytes alone do not show it (first differing byte, a missing key).</param>
public sealed record Mismatch(
    string Sequence, int Step, int Line, string Command, ComparisonMode Mode,
    string ReferenceName, string Reference, string SubjectName, string Subject, string? Note)
{
    public override string ToString()
    {
        var text = new StringBuilder($"[{Sequence} step {Step}");
        if (Line > 0)
        {
            text.Append($", line {Line}");
        }
        text.Append($"] {Command}");
        if (Mode != ComparisonMode.Exact)
        {
            text.Append($"  ({Mode})");
        }
        text.Append($"\n    {ReferenceName,-8} {Reference}\n    {SubjectName,-8} {Subject}");
        if (Note is not null)
        {
            text.Append($"\n    note     {Note}");
        }
        return text.ToString();
    }
}
