using System.Text;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RingKV.IntegrationTests.Differential;

/// <summary>How the differential tests conclude: a one-line success, or a failure listing the first mismatches.</summary>
public static class DifferentialReport
{
    /// <summary>Overrides <see cref="RandomSequences.DefaultCount"/> for a long campaign (seeds 1..N).</summary>
    public const string SequencesVariable = "RINGKV_DIFF_SEQUENCES";

    /// <summary>When set, every mismatch (not only the first 20) is appended to this file, for a long campaign.</summary>
    public const string ReportFileVariable = "RINGKV_DIFF_REPORT";

    private const int MaxMismatchesShown = 20;

    /// <exception cref="InvalidOperationException">The variable is set but not a positive integer.</exception>
    public static int RandomSequenceCount()
    {
        var text = Environment.GetEnvironmentVariable(SequencesVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return RandomSequences.DefaultCount;
        }
        return int.TryParse(text, out var count) && count > 0
            ? count
            : throw new InvalidOperationException($"{SequencesVariable}='{text}' is not a positive integer");
    }

    /// <summary>Writes the outcome to <paramref name="output"/>; throws when anything disagreed.</summary>
    /// <param name="perSequence">Lines describing sequences (all of them for files, the failing ones for seeds).</param>
    /// <param name="logs">Appended when the harness aborted (a side stopped answering): the subject's process output.</param>
    /// <exception cref="XunitException">At least one mismatch, or the harness aborted.</exception>
    public static void Conclude(DifferentialHarness harness, ITestOutputHelper output, IEnumerable<string> perSequence, Func<string>? logs = null)
    {
        var summary = $"compared {harness.SequencesRun} sequences, {harness.CommandsRun} commands, {harness.Mismatches.Count} mismatches "
            + $"({harness.ReferenceName} vs {harness.SubjectName})";
        output.WriteLine(summary);
        var lines = perSequence.ToList();
        foreach (var line in lines)
        {
            output.WriteLine("  " + line);
        }
        if (harness.Mismatches.Count == 0 && harness.AbortReason is null)
        {
            return;
        }
        if (Environment.GetEnvironmentVariable(ReportFileVariable) is { Length: > 0 } path)
        {
            File.AppendAllLines(path, [summary, .. harness.Mismatches.Select(m => m.ToString())]);
        }
        var text = new StringBuilder(summary).Append('\n');
        if (harness.AbortReason is not null)
        {
            text.Append("ABORTED: ").Append(harness.AbortReason).Append('\n');
        }
        foreach (var line in lines)
        {
            text.Append("  ").Append(line).Append('\n');
        }
        text.Append($"first {Math.Min(MaxMismatchesShown, harness.Mismatches.Count)} mismatches:\n");
        foreach (var mismatch in harness.Mismatches.Take(MaxMismatchesShown))
        {
            text.Append(mismatch).Append('\n');
            output.WriteLine(mismatch.ToString());
        }
        if (harness.AbortReason is not null && logs is not null)
        {
            text.Append(logs());
        }
        throw new XunitException(text.ToString());
    }
}
