using static RingKV.Verification.Tests.Ops;

namespace RingKV.Verification.Tests;

public class LostWriteCheckerTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    public void ConcurrentWrites_EitherFinalValue_Passes(string final)
    {
        var history = HFinal(final, W(1, "a", 0, 20), W(2, "b", 10, 30), R(3, final, 40, 50));

        var result = LostWriteChecker.Check(history);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(0, result.LostWrites);
    }

    [Fact]
    public void FinalValueOlderThanAnAcknowledgedOverwrite_IsLost()
    {
        var history = HFinal("a", W(1, "a", 0, 10), W(2, "b", 20, 30));

        var result = LostWriteChecker.Check(history);

        Assert.False(result.Passed);
        Assert.Equal(1, result.LostWrites);
        var lost = Assert.Single(result.Examples);
        Assert.Equal(AnomalyKind.LostWrite, lost.Kind);
        Assert.Equal(["b", "a"], lost.Operations.Select(op => op.Value));
        Assert.Contains("lost-write on key \"k\"", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AcknowledgedWrite_WithAbsentFinalValue_IsLost()
    {
        var history = HFinal(null, W(1, "a", 0, 10), W(2, "b", 5, 30));

        var result = LostWriteChecker.Check(history);

        Assert.Equal(2, result.LostWrites);
    }

    [Fact]
    public void FinalValueNoOneWrote_IsPhantom()
    {
        var history = HFinal("zzz", W(1, "a", 0, 10));

        var result = LostWriteChecker.Check(history);

        Assert.Equal(1, result.PhantomFinals);
        Assert.Equal(0, result.LostWrites);
        Assert.Equal(AnomalyKind.PhantomFinal, Assert.Single(result.Examples).Kind);
    }

    [Fact]
    public void FinalValueOnAKeyWithoutOperations_IsPhantom()
    {
        var history = new History([W(1, "a", 0, 10)], new Dictionary<string, string?> { [K] = "a", ["other"] = "x", ["empty"] = null });

        var result = LostWriteChecker.Check(history);

        Assert.Equal(1, result.PhantomFinals);
        Assert.Equal("other", Assert.Single(result.Examples).Key);
        Assert.Equal(3, result.KeysChecked);
    }

    [Fact]
    public void FinalValueOfAFailedWrite_IsReported()
    {
        var history = HFinal("b", W(1, "a", 0, 10), W(2, "b", 20, 30, Outcome.Fail));

        var result = LostWriteChecker.Check(history);

        Assert.Equal(1, result.FailedWriteFinals);
        Assert.False(result.Passed);
    }

    [Fact]
    public void UnknownWrite_ThatTookEffect_Passes()
    {
        var history = HFinal("u", W(1, "a", 0, 10), WUnknown(2, "u", 20, gaveUp: 30), W(3, "b", 40, 50));

        Assert.True(LostWriteChecker.Check(history).Passed);
    }

    [Fact]
    public void UnknownWrite_ThatNeverTookEffect_Passes()
    {
        var history = HFinal("a", W(1, "a", 0, 10), WUnknown(2, "u", 20));

        Assert.True(LostWriteChecker.Check(history).Passed);
    }

    [Fact]
    public void FailedWrite_WithNoEffect_IsNotLost()
    {
        var history = HFinal("a", W(1, "a", 0, 10), W(2, "b", 20, 30, Outcome.Fail));

        Assert.True(LostWriteChecker.Check(history).Passed);
    }

    [Fact]
    public void Counts_CoverOperationsOutcomesAndKeys()
    {
        var history = new History(
            [
                W(1, "a", 0, 10), W(2, "b", 20, 30, Outcome.Fail), WUnknown(3, "c", 40), R(4, "a", 50, 60),
                R(5, null, 50, 60, Outcome.Unknown), W(1, "x", 0, 10, key: "unread"),
            ],
            new Dictionary<string, string?> { [K] = "a" });

        var result = LostWriteChecker.Check(history);

        Assert.Equal(6, result.Operations);
        Assert.Equal(2, result.AcknowledgedWrites);
        Assert.Equal(1, result.Failed);
        Assert.Equal(2, result.Unknown);
        Assert.Equal(1, result.KeysChecked);
        Assert.Equal(1, result.KeysWithoutFinalRead);
        Assert.True(result.Passed);
    }

    [Fact]
    public void DuplicateWrittenValues_AreInvalidInput()
    {
        var history = HFinal("a", W(1, "a", 0, 10), W(2, "a", 20, 30));

        var result = LostWriteChecker.Check(history);

        Assert.Equal(1, result.DuplicateValues);
        Assert.False(result.Passed);
        Assert.Equal(AnomalyKind.DuplicateValue, Assert.Single(result.Examples).Kind);
        Assert.Contains("invalid input", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Examples_AreCappedButCountsAreNot()
    {
        var writes = Enumerable.Range(0, 50).Select(i => W(i, $"v{i}", 100 + i, 200 + i)).Prepend(W(99, "old", 0, 10)).ToArray();

        var result = LostWriteChecker.Check(HFinal("old", writes), maxExamples: 3);

        Assert.Equal(50, result.LostWrites);
        Assert.Equal(3, result.Examples.Count);
    }
}
