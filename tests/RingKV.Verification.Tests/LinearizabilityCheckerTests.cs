using static RingKV.Verification.Tests.Ops;

namespace RingKV.Verification.Tests;

public class LinearizabilityCheckerTests
{
    [Fact]
    public void CleanConcurrentHistory_IsLinearizable()
    {
        var history = H(
            R(1, null, 0, 5),
            W(2, "a", 10, 40),
            R(1, null, 12, 20),
            R(3, "a", 15, 25),
            W(4, "b", 20, 60),
            R(1, "b", 30, 45),
            R(3, "b", 50, 70),
            W(2, "c", 80, 90),
            R(1, "c", 95, 99));

        var result = LinearizabilityChecker.Check(history);

        Assert.Equal(LinearizabilityStatus.Linearizable, result.Status);
        var key = Assert.Single(result.Keys);
        Assert.Equal(9, key.Operations);
        Assert.Null(key.Witness);
    }

    [Fact]
    public void NewOldInversionBetweenTwoReaders_IsNotLinearizable()
    {
        var result = LinearizabilityChecker.Check(Histories.NewOldInversion());

        Assert.Equal(LinearizabilityStatus.NotLinearizable, result.Status);
        var witness = Assert.Single(result.Witnesses);
        Assert.Equal(AnomalyKind.NotLinearizable, witness.Kind);
        Assert.Equal(OperationKind.Read, witness.Operations[0].Kind);
        Assert.Contains(witness.Operations, op => op is { Kind: OperationKind.Write, Value: "a" });
        Assert.Contains(witness.Operations, op => op is { Kind: OperationKind.Write, Value: "b" });
        Assert.Contains("not-linearizable on key \"k\"", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OneReaderSeeingAThenBThenA_IsNotLinearizable()
    {
        var history = H(W(1, "a", 0, 100), W(2, "b", 0, 100), R(3, "a", 10, 20), R(3, "b", 30, 40), R(3, "a", 50, 60));

        Assert.Equal(LinearizabilityStatus.NotLinearizable, LinearizabilityChecker.Check(history).Status);
    }

    [Fact]
    public void StaleRead_IsNotLinearizable() =>
        Assert.Equal(
            LinearizabilityStatus.NotLinearizable,
            LinearizabilityChecker.Check(H(W(1, "a", 0, 10), W(2, "b", 20, 30), R(3, "a", 40, 50))).Status);

    [Fact]
    public void StaleReadOfAbsence_IsNotLinearizable() =>
        Assert.Equal(LinearizabilityStatus.NotLinearizable, LinearizabilityChecker.Check(H(W(1, "a", 0, 10), R(2, null, 20, 30))).Status);

    [Theory]
    [InlineData("ghost")]
    [InlineData("failed")]
    [InlineData("later")]
    public void ReadOfAValueThatCannotHaveBeenWritten_IsNotLinearizable(string value)
    {
        var history = H(W(1, "a", 0, 10), W(2, "failed", 0, 10, Outcome.Fail), R(3, value, 20, 30), W(4, "later", 40, 50));

        var result = LinearizabilityChecker.Check(history);

        Assert.Equal(LinearizabilityStatus.NotLinearizable, result.Status);
        Assert.Equal(value, Assert.Single(result.Witnesses).Operations[0].Value);
    }

    [Fact]
    public void UnknownWrite_ThatTookEffectLate_IsLinearizable()
    {
        // The client gave up at 25, but the write landed between the reads of "b" and "u".
        var history = H(W(1, "a", 0, 10), WUnknown(2, "u", 20, gaveUp: 25), W(3, "b", 30, 40), R(4, "b", 50, 60), R(4, "u", 70, 80));

        Assert.Equal(LinearizabilityStatus.Linearizable, LinearizabilityChecker.Check(history).Status);
    }

    [Fact]
    public void UnknownWrite_ThatNeverTookEffect_IsLinearizable()
    {
        var history = H(W(1, "a", 0, 10), WUnknown(2, "u", 20, gaveUp: 25), R(3, "a", 30, 40), R(3, "a", 50, 60));

        var result = LinearizabilityChecker.Check(history);

        Assert.Equal(LinearizabilityStatus.Linearizable, result.Status);
        Assert.Equal(3, result.Keys[0].Operations);
    }

    [Fact]
    public void UnknownWrite_OnceObserved_CannotBeUndone()
    {
        // "u" was seen, so it took effect after "a" completed; nothing can bring "a" back afterwards.
        var history = H(W(1, "a", 0, 10), WUnknown(2, "u", 20), R(3, "u", 30, 40), R(3, "a", 50, 60));

        Assert.Equal(LinearizabilityStatus.NotLinearizable, LinearizabilityChecker.Check(history).Status);
    }

    [Fact]
    public void FailedWrites_AndReadsThatDidNotSucceed_DoNotTakePart()
    {
        var history = H(W(1, "a", 0, 10), W(2, "x", 20, 30, Outcome.Fail), R(3, null, 20, 30, Outcome.Unknown), R(4, "a", 40, 50));

        var result = LinearizabilityChecker.Check(history);

        Assert.Equal(LinearizabilityStatus.Linearizable, result.Status);
        Assert.Equal(2, result.Keys[0].Operations);
    }

    [Fact]
    public void Keys_AreJudgedIndependently()
    {
        var good = Enumerable.Range(0, 5).SelectMany(i => new[] { W(1, $"v{i}", 0, 10, key: $"good{i}"), R(2, $"v{i}", 20, 30, key: $"good{i}") });
        var history = new History([.. good, W(1, "a", 0, 10, key: "bad"), R(2, null, 20, 30, key: "bad")]);

        var result = LinearizabilityChecker.Check(history);

        Assert.Equal(LinearizabilityStatus.NotLinearizable, result.Status);
        Assert.Equal(5, result.LinearizableKeys);
        Assert.Equal(1, result.NotLinearizableKeys);
        Assert.Equal("bad", Assert.Single(result.Witnesses).Key);
    }

    [Fact]
    public void DuplicateWrittenValues_LeaveTheKeyUnknown()
    {
        var result = LinearizabilityChecker.Check(H(W(1, "a", 0, 10), W(2, "a", 20, 30)));

        Assert.Equal(LinearizabilityStatus.Unknown, result.Status);
        Assert.Equal(1, result.DuplicateValues);
        Assert.Contains("invalid input", result.Keys[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyAboveTheOperationCap_IsUnknown()
    {
        var ops = Enumerable.Range(0, 20).Select(i => W(1, $"v{i}", i * 10, (i * 10) + 5)).ToArray();

        var result = LinearizabilityChecker.Check(H(ops), new LinearizabilityOptions { MaxOperationsPerKey = 10 });

        Assert.Equal(LinearizabilityStatus.Unknown, result.Status);
        Assert.Contains("more than 10", result.Keys[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyHistory_IsLinearizable() =>
        Assert.Equal(LinearizabilityStatus.Linearizable, LinearizabilityChecker.Check(H()).Status);

    [Fact]
    public void Cancellation_Throws()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => LinearizabilityChecker.Check(Histories.Pathological(30), cancellation: cancel.Token));
    }
}
