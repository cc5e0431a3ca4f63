namespace RingKV.Verification;

/// <summary>
/// Checks each successful read on its own against the real-time order of writes: the guarantee a QUORUM read of a
/// last-writer-wins store should give (it returns a value at least as new as anything acknowledged before the read
/// began, and only values someone wrote). Cheap and local, so its reports are easy to read; it cannot see anomalies
/// that need two reads together (use <see cref="LinearizabilityChecker"/> for those).
/// </summary>
/// <remarks>
/// <para>For a successful read <c>r</c> of value <c>v</c>, written by <c>wv</c>:</para>
/// <list type="bullet">
/// <item><description><b>phantom</b> if no write of <c>v</c> was invoked before <c>r</c> completed;</description></item>
/// <item><description><b>read of failed write</b> if <c>wv</c> failed (certainly had no effect);</description></item>
/// <item><description><b>stale</b> if some acknowledged write <c>w'</c> completed before <c>r</c> was invoked and
/// <c>wv</c> completed before <c>w'</c> was invoked: <c>v</c> was already superseded when <c>r</c> began;</description></item>
/// <item><description>a read of absence is <b>stale</b> if any acknowledged write of the key completed before
/// <c>r</c> was invoked.</description></item>
/// </list>
/// <para>A write with an unknown outcome may take effect at any time after its invocation, so reading its value is
/// never phantom once it was invoked and never stale (it completes at +infinity). Reads that failed or whose outcome is
/// unknown say nothing and are ignored. Keys whose values are not unique are reported as invalid input and skipped.</para>
/// <para>O(n log n) per key. Stateless and thread-safe.</para>
/// </remarks>
public static class RegisterChecker
{
    /// <param name="maxExamples">At most this many anomalies are kept in <see cref="RegisterResult.Examples"/>.</param>
    public static RegisterResult Check(History history, int maxExamples = 10)
    {
        ArgumentNullException.ThrowIfNull(history);
        var log = new AnomalyLog(AnomalyLog.CheckLimit(maxExamples));
        int keys = 0, reads = 0;
        foreach (var key in history.ByKey)
        {
            if (!key.IsValid)
            {
                log.AddRange(key.Duplicates);
                continue;
            }

            keys++;
            reads += CheckKey(key, log.Add);
        }

        return new RegisterResult
        {
            KeysChecked = keys,
            ReadsChecked = reads,
            PhantomReads = log[AnomalyKind.PhantomRead],
            StaleReads = log[AnomalyKind.StaleRead],
            ReadsOfFailedWrites = log[AnomalyKind.ReadOfFailedWrite],
            DuplicateValues = log[AnomalyKind.DuplicateValue],
            Examples = log.Examples,
        };
    }

    /// <summary>Reports every anomaly of one key's successful reads; returns how many reads were checked. Also the
    /// linearizability checker's fast refutation: each of these anomalies alone proves a key non-linearizable.</summary>
    internal static int CheckKey(KeyHistory key, Action<Anomaly> report)
    {
        // Acknowledged writes by completion time, with a running "latest-invoked so far": the newest write that any
        // read invoked after that completion must not go behind.
        var acknowledged = key.Operations
            .Where(op => op is { Kind: OperationKind.Write, Outcome: Outcome.Ok })
            .OrderBy(op => op.CompleteTicks)
            .ToArray();
        var completes = acknowledged.Select(op => op.CompleteTicks).ToArray();
        var latestInvoked = new Operation[acknowledged.Length];
        for (var i = 0; i < acknowledged.Length; i++)
        {
            latestInvoked[i] = i > 0 && latestInvoked[i - 1].InvokeTicks >= acknowledged[i].InvokeTicks
                ? latestInvoked[i - 1]
                : acknowledged[i];
        }

        var reads = 0;
        foreach (var read in key.Operations)
        {
            if (read is not { Kind: OperationKind.Read, Outcome: Outcome.Ok })
            {
                continue;
            }

            reads++;
            var doneBefore = CountBelow(completes, read.InvokeTicks);
            var superseding = doneBefore > 0 ? latestInvoked[doneBefore - 1] : null;
            if (read.Value is null)
            {
                if (doneBefore > 0)
                {
                    report(new Anomaly(
                        AnomalyKind.StaleRead,
                        key.Key,
                        "read found the key absent, but a write was acknowledged before the read began",
                        [read, acknowledged[0]]));
                }

                continue;
            }

            var writer = key.WriterOf(read.Value);
            if (writer is null)
            {
                report(new Anomaly(AnomalyKind.PhantomRead, key.Key, "read a value that was never written", [read]));
            }
            else if (writer.InvokeTicks > read.CompleteTicks)
            {
                report(new Anomaly(
                    AnomalyKind.PhantomRead,
                    key.Key,
                    "read a value whose write began only after the read completed",
                    [read, writer]));
            }
            else if (writer.Outcome == Outcome.Fail)
            {
                report(new Anomaly(AnomalyKind.ReadOfFailedWrite, key.Key, "read the value of a write that failed", [read, writer]));
            }
            else if (superseding is not null && writer.Precedes(superseding))
            {
                report(new Anomaly(
                    AnomalyKind.StaleRead,
                    key.Key,
                    "read a value overwritten before the read began: its write completed before another write began that was acknowledged before the read began",
                    [read, writer, superseding]));
            }
        }

        return reads;
    }

    /// <summary>How many of the ascending <paramref name="sorted"/> are strictly less than <paramref name="bound"/>.</summary>
    private static int CountBelow(long[] sorted, long bound)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (sorted[mid] < bound)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
