using RingKV.Fuzz.Servers;
using RingKV.Protocol;

namespace RingKV.Fuzz.Targets;

/// <summary>
/// Sends the same stream to redis-server (the reference) and to a RingKV node, each on a fresh connection after
/// emptying both keyspaces, and compares the replies byte for byte and how each connection ended.
/// </summary>
/// <remarks>
/// <para>What is read from each side follows RingKV's own framing (<see cref="RequestPlan"/>); a server that frames
/// differently shows up as a different reply, a missing one, or a different ending.</para>
/// <para>Tolerated: the deliberate differences of <see cref="KnownDifferences"/> (the stream is cut before the first);
/// and a reset (a server closing with unread input) that swallowed the last replies, where only the replies both
/// sides delivered are compared.</para>
/// </remarks>
internal sealed class DifferentialTarget(IServerUnderTest reference, IServerUnderTest subject, RespLimits limits)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PendingWait = TimeSpan.FromMilliseconds(30);
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, int> _tolerated = [];
    private HashSet<string>? _redisCommands;

    public IServerUnderTest Reference => reference;

    public IServerUnderTest Subject => subject;

    public async Task<string?> CheckAsync(byte[] stream, Random random)
    {
        var flushed = await Task.WhenAll(Flush.FlushAsync(reference), Flush.FlushAsync(subject));
        if (flushed.FirstOrDefault(f => f is not null) is { } flushProblem)
        {
            return flushProblem;
        }
        var plan = RequestPlan.Of(stream, limits);
        if (plan.HugeStringAt() is var huge and >= 0)
        {
            stream = stream[..huge];
            plan = RequestPlan.Of(stream, limits);
        }
        _redisCommands ??= await CommandNamesAsync(reference);
        if (KnownDifferences.Find(stream, plan, limits, _redisCommands) is { } known)
        {
            lock (_tolerated)
            {
                _tolerated[known.Reason] = _tolerated.GetValueOrDefault(known.Reason) + 1;
            }
            stream = stream[..known.Offset];
            plan = RequestPlan.Of(stream, limits);
        }
        var seed = random.Next();
        using var referenceGiveUp = new CancellationTokenSource();
        using var subjectGiveUp = new CancellationTokenSource();
        var expected = Transcript.RecordAsync(reference.Port, stream, plan, new Random(seed), ReplyTimeout, PendingWait, referenceGiveUp.Token);
        var actual = Transcript.RecordAsync(subject.Port, stream, plan, new Random(seed), ReplyTimeout, PendingWait, subjectGiveUp.Token);
        // Once one server is done, the other gets a grace period rather than the full timeout: a server waiting for
        // input the other refused would otherwise cost every such stream (and every shrinking attempt) seconds.
        (await Task.WhenAny(expected, actual) == expected ? subjectGiveUp : referenceGiveUp).CancelAfter(GracePeriod);
        return Compare(plan, await expected, await actual);
    }

    /// <summary>How often each known difference cut a stream short, for the campaign's report.</summary>
    public string ToleratedSummary()
    {
        lock (_tolerated)
        {
            return _tolerated.Count == 0 ? "no known differences met"
                : "known differences met (stream cut before them): " + string.Join(", ", _tolerated.OrderByDescending(t => t.Value).Select(t => $"{t.Key} ×{t.Value}"));
        }
    }

    private string? Compare(RequestPlan plan, Transcript expected, Transcript actual)
    {
        var count = Math.Min(expected.Replies.Count, actual.Replies.Count);
        for (var i = 0; i < count; i++)
        {
            if (!Same(expected.Replies[i].Raw, actual.Replies[i].Raw))
            {
                return $"reply {i + 1} ({Describe(plan, i)}): {reference.Name} {expected.Replies[i]} vs {subject.Name} {actual.Replies[i]}";
            }
        }
        if (expected.Replies.Count == actual.Replies.Count && expected.Ending == actual.Ending)
        {
            return null;
        }
        // A server that closes with unread input resets the connection, which may swallow the replies it wrote last.
        if ((expected.Reset || actual.Reset) && expected.Ending == Transcript.ClosedEnding && actual.Ending == Transcript.ClosedEnding)
        {
            return null;
        }
        return $"after {count} equal replies: {reference.Name} {expected} vs {subject.Name} {actual}";
    }

    /// <summary>
    /// Byte equality, except that error texts are compared as UTF-8: RingKV builds errors that quote an argument as
    /// .NET strings, so bytes that are not UTF-8 come back as U+FFFD (redis-server copies them raw).
    /// </summary>
    private static bool Same(byte[] expected, byte[] actual) =>
        expected.AsSpan().SequenceEqual(actual)
        || (expected is [(byte)'-', ..] && actual is [(byte)'-', ..]
            && System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(expected)).AsSpan().SequenceEqual(actual));

    private static string Describe(RequestPlan plan, int index) => index < plan.Requests.Count
        ? string.Join(" ", plan.Requests[index].Args.Select(a => Printable.Escape(a, 60)))
        : "the protocol error: " + plan.Error;

    private static async Task<HashSet<string>> CommandNamesAsync(IServerUnderTest server)
    {
        var commandList = "*2\r\n$7\r\nCOMMAND\r\n$4\r\nLIST\r\n"u8.ToArray();
        var transcript = await Transcript.RecordAsync(server.Port, commandList, RequestPlan.Of(commandList, RespLimits.Default), new Random(0), ReplyTimeout, TimeSpan.Zero);
        return transcript.Replies is [{ Value.Items: { Count: > 0 } names }]
            ? [.. names.Select(name => name.AsString()!.ToLowerInvariant())]
            : throw new InvalidOperationException($"{server.Name} did not list its commands: {transcript}");
    }
}
