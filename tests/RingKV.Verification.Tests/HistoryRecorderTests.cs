namespace RingKV.Verification.Tests;

public class HistoryRecorderTests
{
    private long _now;

    [Fact]
    public void InvokeAndComplete_RecordIntervalsOutcomesAndReadValues()
    {
        var recorder = new HistoryRecorder(Clock);
        var write = recorder.Invoke(1, OperationKind.Write, "k", "p1-0");
        var read = recorder.Invoke(2, OperationKind.Read, "k");
        recorder.Complete(read, Outcome.Ok, "p1-0");
        recorder.Complete(write, Outcome.Ok);
        var failed = recorder.Invoke(2, OperationKind.Read, "k");
        recorder.Complete(failed, Outcome.Fail, "ignored", "ERR syntax error");

        var history = recorder.ToHistory(new Dictionary<string, string?> { ["k"] = "p1-0" });

        Assert.Equal(
            [
                new Operation(1, OperationKind.Write, "k", "p1-0", 1, 4, Outcome.Ok),
                new Operation(2, OperationKind.Read, "k", "p1-0", 2, 3, Outcome.Ok),
                new Operation(2, OperationKind.Read, "k", null, 5, 6, Outcome.Fail, "ERR syntax error"),
            ],
            history.Operations);
        Assert.Equal("p1-0", history.FinalReads["k"]);
    }

    [Fact]
    public void SecondInvokeOnAProcess_WithOneOutstanding_Throws()
    {
        var recorder = new HistoryRecorder(Clock);
        recorder.Invoke(1, OperationKind.Read, "k");

        Assert.Throws<InvalidOperationException>(() => recorder.Invoke(1, OperationKind.Write, "other", "v"));
    }

    [Fact]
    public void CompletingTwice_Throws()
    {
        var recorder = new HistoryRecorder(Clock);
        var op = recorder.Invoke(1, OperationKind.Read, "k");
        recorder.Complete(op, Outcome.Ok);

        Assert.Throws<InvalidOperationException>(() => recorder.Complete(op, Outcome.Ok));
    }

    [Fact]
    public void MismatchedValues_Throw()
    {
        var recorder = new HistoryRecorder(Clock);

        Assert.Throws<ArgumentException>(() => recorder.Invoke(1, OperationKind.Write, "k"));
        Assert.Throws<ArgumentException>(() => recorder.Invoke(1, OperationKind.Read, "k", "v"));
        var write = recorder.Invoke(1, OperationKind.Write, "k", "v");
        Assert.Throws<ArgumentException>(() => recorder.Complete(write, Outcome.Ok, "read value"));
    }

    [Fact]
    public void ClockGoingBackwards_Throws()
    {
        var ticks = new Queue<long>([10, 5]);
        var recorder = new HistoryRecorder(ticks.Dequeue);
        var op = recorder.Invoke(1, OperationKind.Read, "k");

        Assert.Throws<InvalidOperationException>(() => recorder.Complete(op, Outcome.Ok));
    }

    [Fact]
    public void OutstandingOperations_AppearAsUnknownCompletingAtInfinity()
    {
        var recorder = new HistoryRecorder(Clock);
        recorder.Invoke(1, OperationKind.Write, "k", "v");

        var op = Assert.Single(recorder.ToHistory().Operations);

        Assert.Equal(Outcome.Unknown, op.Outcome);
        Assert.Equal(long.MaxValue, op.CompleteTicks);
        Assert.Contains("[1..?]", op.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentClientsOfAnAtomicRegister_RecordAHistoryThatPasses()
    {
        var recorder = new HistoryRecorder();
        var store = new Dictionary<string, string>();
        var gate = new Lock();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(process => Task.Run(() =>
        {
            var random = new Random(process);
            for (var i = 0; i < 500; i++)
            {
                var key = "k" + random.Next(4);
                if (random.Next(2) == 0)
                {
                    var value = $"p{process}-{i}";
                    var op = recorder.Invoke(process, OperationKind.Write, key, value);
                    lock (gate)
                    {
                        store[key] = value;
                    }

                    recorder.Complete(op, Outcome.Ok);
                }
                else
                {
                    var op = recorder.Invoke(process, OperationKind.Read, key);
                    string? value;
                    lock (gate)
                    {
                        value = store.GetValueOrDefault(key);
                    }

                    recorder.Complete(op, Outcome.Ok, value);
                }
            }
        })));

        var history = recorder.ToHistory(store.ToDictionary(p => p.Key, p => (string?)p.Value));
        var verdict = Verdict.Check(history);

        Assert.Equal(4000, history.Operations.Count);
        Assert.True(verdict.Passed && !verdict.Inconclusive, verdict.ToString());
    }

    private long Clock() => ++_now;
}
