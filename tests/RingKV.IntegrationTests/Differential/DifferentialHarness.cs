using System.Diagnostics;

namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// Sends every command to a reference server (redis-server) and a subject (a RingKV node) and records each reply
/// pair that disagrees under the command's <see cref="ComparisonMode"/> (<see cref="ComparisonPolicy"/>).
/// </summary>
/// <remarks>
/// <para>Each sequence starts from an empty keyspace on both sides: FLUSHALL, then DBSIZE must answer 0 (polled
/// briefly, in case a flush is applied asynchronously). A failed setup is recorded as step 0 and the sequence
/// still runs, so its own mismatches show what the leftover keys changed.</para>
/// <para>Both sides receive each command concurrently (two connections), which keeps the clock skew that
/// <see cref="ComparisonMode.TolerantTime"/> absorbs small. After more than <see cref="MaxSideFailures"/> commands
/// without a well-formed reply on one side the harness gives up (<see cref="AbortReason"/>) instead of waiting
/// out a read timeout per remaining command.</para>
/// <para>Not thread-safe: one caller runs sequences one after the other.</para>
/// </remarks>
public sealed partial class DifferentialHarness : IAsyncDisposable
{
    /// <summary>Commands without a well-formed reply (timeouts, closed connections) tolerated per side.</summary>
    public const int MaxSideFailures = 10;

    private static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan EmptyDeadline = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly RedisCommand FlushAll = RedisCommand.Of("FLUSHALL");
    private static readonly RedisCommand DbSize = RedisCommand.Of("DBSIZE");

    private readonly DifferentialSide _reference;
    private readonly DifferentialSide _subject;
    private readonly List<Mismatch> _mismatches = [];

    private DifferentialHarness(DifferentialSide reference, DifferentialSide subject)
    {
        _reference = reference;
        _subject = subject;
    }

    public string ReferenceName => _reference.Name;

    public string SubjectName => _subject.Name;

    public IReadOnlyList<Mismatch> Mismatches => _mismatches;

    public int SequencesRun { get; private set; }

    /// <summary>Commands of the sequences compared (setup commands and SCAN continuations not counted).</summary>
    public int CommandsRun { get; private set; }

    /// <summary>Set once a side failed too often; later sequences are not run.</summary>
    public string? AbortReason { get; private set; }

    /// <exception cref="System.Net.Sockets.SocketException">One of the servers does not accept connections.</exception>
    public static async Task<DifferentialHarness> ConnectAsync(string referenceName, int referencePort, string subjectName, int subjectPort,
        TimeSpan? readTimeout = null)
    {
        var timeout = readTimeout ?? DefaultReadTimeout;
        var reference = await DifferentialSide.ConnectAsync(referenceName, referencePort, timeout);
        try
        {
            return new DifferentialHarness(reference, await DifferentialSide.ConnectAsync(subjectName, subjectPort, timeout));
        }
        catch
        {
            await reference.DisposeAsync();
            throw;
        }
    }

    /// <summary>Flushes both sides, then compares every command of <paramref name="sequence"/> in order.</summary>
    /// <returns>The mismatches this sequence added.</returns>
    public async Task<int> RunAsync(CommandSequence sequence)
    {
        if (AbortReason is not null)
        {
            return 0;
        }
        var before = _mismatches.Count;
        SequencesRun++;
        await ResetAsync(sequence.Name);
        for (var i = 0; i < sequence.Commands.Count && AbortReason is null; i++)
        {
            await CompareAsync(sequence.Name, i + 1, sequence.Commands[i]);
        }
        return _mismatches.Count - before;
    }

    /// <summary>Sends <paramref name="command"/> to both sides and records a mismatch when the replies disagree.</summary>
    /// <returns>Whether they agreed.</returns>
    public async Task<bool> CompareAsync(string sequence, int step, RedisCommand command)
    {
        CommandsRun++;
        var mode = ComparisonPolicy.ModeFor(command);
        var agreed = mode switch
        {
            ComparisonMode.Scan => await CompareScanAsync(sequence, step, command),
            ComparisonMode.Shape => await CompareRandomKeyAsync(sequence, step, command),
            _ => await CompareRepliesAsync(sequence, step, command, mode),
        };
        CheckFailures();
        return agreed;
    }

    private async Task<bool> CompareRepliesAsync(string sequence, int step, RedisCommand command, ComparisonMode mode)
    {
        var (reference, subject) = await BothAsync(command);
        if (reference.Frame is not null && subject.Frame is not null
            && ReplyComparer.Agree(mode, reference.Frame, subject.Frame, ComparisonPolicy.ToleranceFor(command)))
        {
            return true;
        }
        Record(sequence, step, command, mode, reference.Render(), subject.Render(), DifferenceNote(reference, subject));
        return false;
    }

    private async Task<(SideReply Reference, SideReply Subject)> BothAsync(RedisCommand command)
    {
        var reference = _reference.ExecuteAsync(command);
        var subject = _subject.ExecuteAsync(command);
        return (await reference, await subject);
    }

    private async Task ResetAsync(string sequence)
    {
        var (reference, subject) = await BothAsync(FlushAll);
        var flushed = IsOk(reference) && IsOk(subject);
        if (!flushed)
        {
            Record(sequence, 0, FlushAll, ComparisonMode.Exact, reference.Render(), subject.Render(), "setup: FLUSHALL must answer +OK on both sides");
        }
        var watch = Stopwatch.StartNew();
        while (true)
        {
            (reference, subject) = await BothAsync(DbSize);
            if (IsZero(reference) && IsZero(subject))
            {
                return;
            }
            if (!flushed || watch.Elapsed >= EmptyDeadline)
            {
                Record(sequence, 0, DbSize, ComparisonMode.Exact, reference.Render(), subject.Render(),
                    $"setup: DBSIZE must be 0 on both sides after FLUSHALL (waited {watch.Elapsed.TotalSeconds:0.0} s)");
                return;
            }
            await Task.Delay(PollInterval);
        }
    }

    private static bool IsOk(SideReply reply) => reply.Frame is { } frame && frame.Raw.AsSpan().SequenceEqual("+OK\r\n"u8);

    private static bool IsZero(SideReply reply) => reply.Frame is { } frame && frame.Raw.AsSpan().SequenceEqual(":0\r\n"u8);

    private void CheckFailures()
    {
        foreach (var side in new[] { _reference, _subject })
        {
            if (side.Failures > MaxSideFailures && AbortReason is null)
            {
                AbortReason = $"{side.Name} (port {side.Port}) gave no well-formed reply to {side.Failures} commands; the comparison stopped";
            }
        }
    }

    /// <summary>For replies too long to print whole: where they first differ, with a little context on each side.</summary>
    private static string? DifferenceNote(SideReply reference, SideReply subject)
    {
        if (reference.Frame is null || subject.Frame is null
            || (reference.Frame.Raw.Length <= Escaping.DefaultLimit && subject.Frame.Raw.Length <= Escaping.DefaultLimit))
        {
            return null;
        }
        var at = ReplyComparer.FirstDifference(reference.Frame.Raw, subject.Frame.Raw);
        if (at < 0)
        {
            return null;
        }
        static string Around(byte[] raw, int at) => Escaping.Render(raw.AsSpan(Math.Max(0, at - 16), Math.Min(raw.Length, at + 24) - Math.Max(0, at - 16)));
        return $"{reference.Frame.Raw.Length} vs {subject.Frame.Raw.Length} bytes, first difference at byte {at}: "
            + $"'{Around(reference.Frame.Raw, at)}' vs '{Around(subject.Frame.Raw, at)}'";
    }

    private void Record(string sequence, int step, RedisCommand command, ComparisonMode mode, string reference, string subject, string? note) =>
        _mismatches.Add(new Mismatch(sequence, step, command.Line, command.ToString(), mode, _reference.Name, reference, _subject.Name, subject, note));

    public async ValueTask DisposeAsync()
    {
        await _reference.DisposeAsync();
        await _subject.DisposeAsync();
    }
}
