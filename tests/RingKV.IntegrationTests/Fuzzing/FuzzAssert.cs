using RingKV.Fuzz;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RingKV.IntegrationTests.Fuzzing;

/// <summary>Turns a campaign's result into a test outcome whose message says how to replay each finding.</summary>
internal static class FuzzAssert
{
    public static void NoFindings(CampaignResult result, long expectedIterations, ITestOutputHelper output, string? notes = null)
    {
        output.WriteLine(result.ToString());
        if (notes is not null)
        {
            output.WriteLine(notes);
        }
        if (result.Findings.Count > 0)
        {
            throw new XunitException($"{result}\nReplay one with: bench/fuzz.sh 1 <seed> {result.Target} (the iteration seed is printed with each finding)\n\n"
                + string.Join("\n\n", result.Findings));
        }
        if (result.Iterations < expectedIterations)
        {
            output.WriteLine($"NOTICE: only {result.Iterations} of {expectedIterations} iterations ran within {FuzzBudget.MaxDuration.TotalMinutes:0} min");
        }
    }
}
