using System.Text;

namespace RingKV.IntegrationTests.Differential;

/// <summary>The modes that send further commands: <see cref="ComparisonMode.Scan"/> and <see cref="ComparisonMode.Shape"/>.</summary>
public sealed partial class DifferentialHarness
{
    /// <summary>A cursor loop longer than this is a server bug (the sequences hold a few dozen keys).</summary>
    private const int MaxScanCalls = 10_000;

    /// <summary>
    /// Runs the command as written (its cursor should be 0), then follows each side's own cursors with the same
    /// options until the cursor is 0 again, and compares the unions of keys as sets. An error (or any reply that
    /// is not a SCAN page) to the first call is compared byte for byte instead.
    /// </summary>
    private async Task<bool> CompareScanAsync(string sequence, int step, RedisCommand command)
    {
        var reference = ScanAllAsync(_reference, command);
        var subject = ScanAllAsync(_subject, command);
        var (referenceScan, subjectScan) = (await reference, await subject);
        if (referenceScan.Keys is not null && subjectScan.Keys is not null)
        {
            if (referenceScan.Keys.SetEquals(subjectScan.Keys))
            {
                return true;
            }
            var missing = referenceScan.Keys.Except(subjectScan.Keys, StringComparer.Ordinal).ToList();
            var extra = subjectScan.Keys.Except(referenceScan.Keys, StringComparer.Ordinal).ToList();
            Record(sequence, step, command, ComparisonMode.Scan, referenceScan.Render(), subjectScan.Render(),
                $"{SubjectName} lacks {ScanOutcome.RenderKeys(missing)} and has extra {ScanOutcome.RenderKeys(extra)}");
            return false;
        }
        if (referenceScan.Keys is null && subjectScan.Keys is null
            && referenceScan.Reply.Frame is { } referenceFrame && subjectScan.Reply.Frame is { } subjectFrame
            && ReplyComparer.Exact(referenceFrame, subjectFrame))
        {
            return true;
        }
        Record(sequence, step, command, ComparisonMode.Scan, referenceScan.Render(), subjectScan.Render(), null);
        return false;
    }

    private static async Task<ScanOutcome> ScanAllAsync(DifferentialSide side, RedisCommand command)
    {
        var first = await side.ExecuteAsync(command);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var reply = first;
        for (var calls = 1; ; calls++)
        {
            if (!IsScanPage(reply.Frame))
            {
                return calls == 1 ? new ScanOutcome(first, null, calls)
                    : new ScanOutcome(SideReply.Failed($"call {calls} of the cursor loop answered {reply.Render()}"), null, calls);
            }
            var page = reply.Frame!.Items!;
            foreach (var key in page[1].Items!)
            {
                keys.Add(Encoding.Latin1.GetString(key.Payload!));
            }
            var cursor = Encoding.Latin1.GetString(page[0].Payload!);
            if (cursor == "0")
            {
                return new ScanOutcome(first, keys, calls);
            }
            if (calls == MaxScanCalls)
            {
                return new ScanOutcome(SideReply.Failed($"the cursor loop did not end after {calls} calls"), null, calls);
            }
            reply = await side.ExecuteAsync(command.With(1, cursor));
        }
    }

    /// <summary>A two-element array: a bulk cursor and an array of bulk keys.</summary>
    private static bool IsScanPage(RespFrame? frame) =>
        frame is { IsArray: true, Items: [{ IsBulk: true }, { IsArray: true, Items: var keys }] } && keys!.All(k => k.IsBulk);

    /// <summary>Both nil, or both a key that EXISTS on the side that named it; errors byte for byte.</summary>
    private async Task<bool> CompareRandomKeyAsync(string sequence, int step, RedisCommand command)
    {
        var (reference, subject) = await BothAsync(command);
        string? note = null;
        if (reference.Frame is { } referenceFrame && subject.Frame is { } subjectFrame)
        {
            if (referenceFrame.IsBulk && subjectFrame.IsBulk)
            {
                var referenceExists = ExistsAsync(_reference, referenceFrame.Payload!);
                var subjectExists = ExistsAsync(_subject, subjectFrame.Payload!);
                var (referenceHas, subjectHas) = (await referenceExists, await subjectExists);
                if (referenceHas && subjectHas)
                {
                    return true;
                }
                note = $"the key named does not EXIST on {(referenceHas ? SubjectName : ReferenceName)}";
            }
            else if (!referenceFrame.IsBulk && !subjectFrame.IsBulk && ReplyComparer.Exact(referenceFrame, subjectFrame))
            {
                return true;
            }
        }
        Record(sequence, step, command, ComparisonMode.Shape, reference.Render(), subject.Render(), note);
        return false;
    }

    private static async Task<bool> ExistsAsync(DifferentialSide side, byte[] key)
    {
        var reply = await side.ExecuteAsync(new RedisCommand([Encoding.ASCII.GetBytes("EXISTS"), key]));
        return reply.Frame is { IsInteger: true, Integer: 1 };
    }
}
