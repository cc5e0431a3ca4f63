using static RingKV.Verification.Tests.Ops;

namespace RingKV.Verification.Tests;

public class VerdictTests
{
    [Fact]
    public void CleanHistory_SummaryLine()
    {
        var history = new History(
            [W(1, "a", 0, 10), R(2, "a", 20, 30), W(3, "b", 40, 50, Outcome.Fail), WUnknown(4, "c", 60), R(5, "x", 0, 1, key: "other", outcome: Outcome.Unknown)],
            new Dictionary<string, string?> { [K] = "a" });

        var verdict = Verdict.Check(history);

        Assert.True(verdict.Passed);
        Assert.False(verdict.Inconclusive);
        Assert.Equal(
            "PASS | ops 5 ok 2 fail 1 unknown 2 | lost 0 phantom 0 stale 0 failed-read 0 | linearizable yes (2 keys)",
            verdict.SummaryLine);
    }

    [Fact]
    public void Anomalies_FailWithCountsAndExamples()
    {
        var history = HFinal("ghost", W(1, "a", 0, 10), W(2, "b", 20, 30), R(3, "a", 40, 50), R(3, "zzz", 60, 70));

        var verdict = Verdict.Check(history);

        Assert.False(verdict.Passed);
        Assert.Equal(
            "FAIL | ops 4 ok 4 fail 0 unknown 0 | lost 0 phantom 2 stale 1 failed-read 0 | linearizable NO (1 of 1 keys)",
            verdict.SummaryLine);
        Assert.Contains("phantom-final on key \"k\"", verdict.Details, StringComparison.Ordinal);
        Assert.Contains("stale-read on key \"k\"", verdict.Details, StringComparison.Ordinal);
        Assert.Contains("    p3 read \"k\" -> \"a\" ok [40..50]", verdict.Details, StringComparison.Ordinal);
        Assert.StartsWith(verdict.SummaryLine + "\n", verdict.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateValues_AreInvalid()
    {
        var verdict = Verdict.Check(HFinal("a", W(1, "a", 0, 10), W(2, "a", 20, 30)));

        Assert.False(verdict.ValidInput);
        Assert.False(verdict.Passed);
        Assert.StartsWith("INVALID (1 duplicate written values) |", verdict.SummaryLine, StringComparison.Ordinal);
    }

    [Fact]
    public void UndecidedKeys_AreInconclusive()
    {
        var verdict = Verdict.Check(Histories.Pathological(40), new LinearizabilityOptions { Budget = TimeSpan.FromMilliseconds(100) });

        Assert.True(verdict.Passed);
        Assert.True(verdict.Inconclusive);
        Assert.StartsWith("INCONCLUSIVE |", verdict.SummaryLine, StringComparison.Ordinal);
        Assert.EndsWith("linearizable yes (0 keys), unknown 1 keys", verdict.SummaryLine, StringComparison.Ordinal);
    }
}
