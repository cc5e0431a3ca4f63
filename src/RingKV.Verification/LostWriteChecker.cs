namespace RingKV.Verification;

/// <summary>
/// Checks that every acknowledged write survives into the final state (<see cref="History.FinalReads"/>, read after the
/// cluster healed), and that the final state holds nothing no one wrote. The durability half of the contract: "no
/// acknowledged write may be lost".
/// </summary>
/// <remarks>
/// <para>Per key with final value <c>f</c>, written by <c>wf</c>: an <see cref="Outcome.Ok"/> write <c>w</c> is
/// <b>lost</b> if <c>f</c> is absent (the model has no deletes) or if <c>wf</c> completed strictly before <c>w</c> was
/// invoked (the final state is older than something acknowledged). A write concurrent with <c>wf</c> may legitimately
/// have been overwritten by it under last-writer-wins, so it is not lost. <c>wf</c> with an unknown outcome is treated
/// as completing at +infinity, so it never makes another write lost.</para>
/// <para><c>f</c> written by no write is a <b>phantom</b>; written only by a failed write, a <b>read of a failed
/// write</b>. In both cases the key's acknowledged writes are not judged further (the state is already wrong).
/// Keys whose values are not unique are reported as invalid input and skipped.</para>
/// <para>Linear in the size of the history. Stateless and thread-safe.</para>
/// </remarks>
public static class LostWriteChecker
{
    /// <param name="maxExamples">At most this many anomalies are kept in <see cref="LostWriteResult.Examples"/>.</param>
    public static LostWriteResult Check(History history, int maxExamples = 10)
    {
        ArgumentNullException.ThrowIfNull(history);
        var log = new AnomalyLog(AnomalyLog.CheckLimit(maxExamples));
        int checkedKeys = 0, withoutFinal = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in history.ByKey)
        {
            seen.Add(key.Key);
            if (!key.IsValid)
            {
                log.AddRange(key.Duplicates);
                continue;
            }

            if (!history.FinalReads.TryGetValue(key.Key, out var final))
            {
                withoutFinal += key.Operations.Any(IsAcknowledgedWrite) ? 1 : 0;
                continue;
            }

            checkedKeys++;
            CheckKey(key, final, log);
        }

        // A final value on a key no operation touched was written by nobody.
        foreach (var (key, final) in history.FinalReads.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (seen.Contains(key))
            {
                continue;
            }

            checkedKeys++;
            if (final is not null)
            {
                log.Add(new Anomaly(AnomalyKind.PhantomFinal, key, $"final value {Operation.Quote(final)} on a key no operation wrote", []));
            }
        }

        var ops = history.Operations;
        return new LostWriteResult
        {
            Operations = ops.Count,
            AcknowledgedWrites = ops.Count(IsAcknowledgedWrite),
            Failed = ops.Count(op => op.Outcome == Outcome.Fail),
            Unknown = ops.Count(op => op.Outcome == Outcome.Unknown),
            KeysChecked = checkedKeys,
            KeysWithoutFinalRead = withoutFinal,
            LostWrites = log[AnomalyKind.LostWrite],
            PhantomFinals = log[AnomalyKind.PhantomFinal],
            FailedWriteFinals = log[AnomalyKind.ReadOfFailedWrite],
            DuplicateValues = log[AnomalyKind.DuplicateValue],
            Examples = log.Examples,
        };
    }

    private static void CheckKey(KeyHistory key, string? final, AnomalyLog log)
    {
        var finalWriter = key.WriterOf(final);
        if (final is not null && finalWriter is null)
        {
            log.Add(new Anomaly(
                AnomalyKind.PhantomFinal,
                key.Key,
                $"final value {Operation.Quote(final)} was never written",
                [.. key.Operations.Where(IsAcknowledgedWrite).TakeLast(1)]));
            return;
        }

        if (finalWriter is { Outcome: Outcome.Fail })
        {
            log.Add(new Anomaly(
                AnomalyKind.ReadOfFailedWrite,
                key.Key,
                $"final value {Operation.Quote(final)} was written by a write that failed",
                [finalWriter]));
            return;
        }

        foreach (var write in key.Operations)
        {
            if (!IsAcknowledgedWrite(write) || ReferenceEquals(write, finalWriter))
            {
                continue;
            }

            if (finalWriter is null)
            {
                log.Add(new Anomaly(AnomalyKind.LostWrite, key.Key, "acknowledged write, but the key is absent at the end", [write]));
            }
            else if (finalWriter.Precedes(write))
            {
                log.Add(new Anomaly(
                    AnomalyKind.LostWrite,
                    key.Key,
                    $"acknowledged write, but the final value {Operation.Quote(final)} is from a write that completed before it began",
                    [write, finalWriter]));
            }
        }
    }

    private static bool IsAcknowledgedWrite(Operation op) => op is { Kind: OperationKind.Write, Outcome: Outcome.Ok };
}
