using static RingKV.Verification.Tests.Ops;

namespace RingKV.Verification.Tests;

public class RegisterCheckerTests
{
    [Fact]
    public void CleanConcurrentHistory_Passes()
    {
        var history = H(
            R(1, null, 0, 5),
            W(2, "a", 10, 40),
            R(1, null, 12, 20),    // concurrent with the write of "a": absence still allowed
            R(3, "a", 15, 25),     // and so is "a", before "a" is acknowledged
            W(4, "b", 50, 60),
            R(1, "a", 55, 70),     // "b" not acknowledged when this read began
            R(3, "b", 65, 80));

        var result = RegisterChecker.Check(history);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(5, result.ReadsChecked);
    }

    [Fact]
    public void ReadOfAValueNeverWritten_IsPhantom()
    {
        var result = RegisterChecker.Check(H(W(1, "a", 0, 10), R(2, "ghost", 20, 30)));

        Assert.Equal(1, result.PhantomReads);
        Assert.Equal(AnomalyKind.PhantomRead, Assert.Single(result.Examples).Kind);
    }

    [Fact]
    public void ReadOfAValueWhoseWriteBeganAfterTheReadCompleted_IsPhantom()
    {
        var result = RegisterChecker.Check(H(R(2, "a", 0, 10), W(1, "a", 20, 30)));

        Assert.Equal(1, result.PhantomReads);
    }

    [Fact]
    public void ReadOfAnOverwrittenValue_AfterTheOverwriteCompleted_IsStale()
    {
        var result = RegisterChecker.Check(H(W(1, "a", 0, 10), W(2, "b", 20, 30), R(3, "a", 40, 50)));

        Assert.Equal(1, result.StaleReads);
        var stale = Assert.Single(result.Examples);
        Assert.Equal(AnomalyKind.StaleRead, stale.Kind);
        Assert.Equal(["a", "a", "b"], stale.Operations.Select(op => op.Value));
    }

    [Fact]
    public void ReadOfAbsence_AfterAWriteCompleted_IsStale()
    {
        var result = RegisterChecker.Check(H(W(1, "a", 0, 10), R(2, null, 20, 30)));

        Assert.Equal(1, result.StaleReads);
    }

    [Fact]
    public void ReadOfAbsence_ConcurrentWithTheFirstWrite_Passes() =>
        Assert.True(RegisterChecker.Check(H(W(1, "a", 0, 30), R(2, null, 20, 40))).Passed);

    [Fact]
    public void ReadOfAFailedWrite_IsReportedSeparately()
    {
        var result = RegisterChecker.Check(H(W(1, "a", 0, 10), W(2, "b", 20, 30, Outcome.Fail), R(3, "b", 40, 50)));

        Assert.Equal(1, result.ReadsOfFailedWrites);
        Assert.Equal(0, result.PhantomReads);
        Assert.Equal(0, result.StaleReads);
        Assert.Equal(AnomalyKind.ReadOfFailedWrite, Assert.Single(result.Examples).Kind);
    }

    [Fact]
    public void ReadOfAnUnknownWrite_InvokedBeforeTheReadCompleted_Passes()
    {
        // The unknown write may land any time after its invocation, even after acknowledged writes: not stale either.
        var history = H(W(1, "a", 0, 10), WUnknown(2, "u", 20, gaveUp: 25), W(3, "b", 30, 40), R(4, "u", 50, 60), R(4, "b", 70, 80));

        Assert.True(RegisterChecker.Check(history).Passed);
    }

    [Fact]
    public void ReadOfAnUnknownWrite_InvokedAfterTheReadCompleted_IsPhantom() =>
        Assert.Equal(1, RegisterChecker.Check(H(R(1, "u", 0, 10), WUnknown(2, "u", 20))).PhantomReads);

    [Fact]
    public void UnknownWrite_ThatNeverTookEffect_Passes() =>
        Assert.True(RegisterChecker.Check(H(W(1, "a", 0, 10), WUnknown(2, "u", 20), R(3, "a", 30, 40))).Passed);

    [Fact]
    public void OlderValue_WhenTheNewerWriteHasNotCompletedBeforeTheRead_Passes()
    {
        // Looks stale, but the overwrite was still in flight when the read began.
        var history = H(W(1, "a", 0, 10), W(2, "b", 20, 60), R(3, "a", 40, 50));

        Assert.True(RegisterChecker.Check(history).Passed);
    }

    [Fact]
    public void OlderValue_WhenItsWriteOverlapsTheNewerOne_Passes()
    {
        // "b" completed before the read, but "a" was concurrent with "b" and may have been ordered after it.
        var history = H(W(1, "a", 0, 25), W(2, "b", 20, 30), R(3, "a", 40, 50));

        Assert.True(RegisterChecker.Check(history).Passed);
    }

    [Fact]
    public void EqualTicks_CountAsConcurrent() =>
        Assert.True(RegisterChecker.Check(H(W(1, "a", 0, 10), W(2, "b", 10, 20), R(3, "a", 20, 30))).Passed);

    [Fact]
    public void ReadsThatDidNotSucceed_AreIgnored()
    {
        var history = H(W(1, "a", 0, 10), R(2, null, 20, 30, Outcome.Unknown), R(3, null, 20, 30, Outcome.Fail));

        var result = RegisterChecker.Check(history);

        Assert.True(result.Passed);
        Assert.Equal(0, result.ReadsChecked);
    }

    [Fact]
    public void NewOldInversionBetweenTwoReaders_IsBeyondThisChecker()
    {
        // Each read is fine on its own; only LinearizabilityChecker sees the contradiction (see its tests).
        Assert.True(RegisterChecker.Check(Histories.NewOldInversion()).Passed);
    }

    [Fact]
    public void DuplicateWrittenValues_AreInvalidInput()
    {
        var result = RegisterChecker.Check(H(W(1, "a", 0, 10), W(2, "a", 20, 30), R(3, "a", 40, 50)));

        Assert.Equal(1, result.DuplicateValues);
        Assert.Equal(0, result.KeysChecked);
        Assert.False(result.Passed);
    }
}
