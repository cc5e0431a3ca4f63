namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// Totals of the RingKV differential tests in this test run, printed on the console after each of them so the
/// last line printed holds both (xunit runs them one after the other: the assembly disables parallelization).
/// </summary>
public static class DifferentialTally
{
    private static readonly Lock s_gate = new();
    private static int s_fixedSequences;
    private static int s_fixedCommands;
    private static int s_randomSequences;
    private static int s_randomCommands;
    private static int s_mismatches;

    public static void AddFixed(DifferentialHarness harness)
    {
        lock (s_gate)
        {
            s_fixedSequences += harness.SequencesRun;
            s_fixedCommands += harness.CommandsRun;
            s_mismatches += harness.Mismatches.Count;
        }
    }

    public static void AddRandom(DifferentialHarness harness)
    {
        lock (s_gate)
        {
            s_randomSequences += harness.SequencesRun;
            s_randomCommands += harness.CommandsRun;
            s_mismatches += harness.Mismatches.Count;
        }
    }

    /// <summary>"differential: fixed X sequences / Y commands; random S sequences / C commands; mismatches M".</summary>
    public static string Summary
    {
        get
        {
            lock (s_gate)
            {
                return $"differential: fixed {s_fixedSequences} sequences / {s_fixedCommands} commands; "
                    + $"random {s_randomSequences} sequences / {s_randomCommands} commands; mismatches {s_mismatches}";
            }
        }
    }
}
