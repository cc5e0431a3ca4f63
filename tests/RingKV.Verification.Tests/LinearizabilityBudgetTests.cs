using System.Diagnostics;
using Xunit.Abstractions;

namespace RingKV.Verification.Tests;

public class LinearizabilityBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public void PathologicalHistory_IsUnknownWithinAboutTheBudget()
    {
        var budget = TimeSpan.FromMilliseconds(500);
        var timer = Stopwatch.StartNew();

        var result = LinearizabilityChecker.Check(Histories.Pathological(40), new LinearizabilityOptions { Budget = budget });

        timer.Stop();
        output.WriteLine(result.ToString());
        Assert.Equal(LinearizabilityStatus.Unknown, result.Status);
        Assert.NotNull(result.Keys[0].Reason);
        // Generous margin: the deadline is polled every 1024 search steps, and these machines are shared.
        Assert.True(timer.Elapsed < budget + TimeSpan.FromSeconds(3), $"took {timer.Elapsed}");
    }

    [Fact]
    public void OneHardKey_DoesNotStarveTheEasyOnes()
    {
        var easy = HistoryGenerator.Generate(seed: 11, processes: 4, keys: 20, operations: 2000).ToHistory();
        var hard = Histories.Pathological(40, key: "hard");
        var history = new History([.. hard.Operations, .. easy.Operations]);

        var result = LinearizabilityChecker.Check(history, new LinearizabilityOptions { Budget = TimeSpan.FromSeconds(1) });

        output.WriteLine(result.ToString());
        Assert.Equal(LinearizabilityStatus.Unknown, result.Status);
        Assert.Equal(1, result.UnknownKeys);
        Assert.Equal(LinearizabilityStatus.Unknown, result.Keys.Single(k => k.Key == "hard").Status);
        Assert.Equal(20, result.LinearizableKeys);
    }

    [Theory]
    [InlineData(50, 10, 0.02)]
    [InlineData(50, 50, 0.02)]
    [InlineData(5, 20, 0.2)]
    [InlineData(1, 50, 0.02)]
    public void TenThousandOperations_AreDecidedWithinTheDefaultBudget(int keys, int processes, double unknownRate)
    {
        var history = HistoryGenerator.Generate(seed: 2024, processes, keys, operations: 10_000, unknownRate, failRate: 0.01).ToHistory();

        var result = LinearizabilityChecker.Check(history);

        output.WriteLine($"{keys} keys, {processes} processes, unknown rate {unknownRate}: {result}");
        output.WriteLine($"states explored: {result.Keys.Sum(k => k.StatesExplored)}");
        Assert.Equal(LinearizabilityStatus.Linearizable, result.Status);
        Assert.Equal(keys, result.LinearizableKeys);
    }
}
