using RingKV.Fuzz.Servers;
using RingKV.Protocol;

namespace RingKV.Fuzz.Targets;

/// <summary>
/// What one server did with one stream: the replies read (as many as the <see cref="RequestPlan"/> expects, fewer
/// if it closed or stalled) and how the connection ended.
/// </summary>
/// <param name="Ending">
/// <c>closed</c>, <c>open</c> (a partial request left pending, nothing more sent), <c>answers PING</c> (a
/// complete stream, then PING on the same connection), or a description of what went wrong (a timeout, a malformed
/// reply, bytes after the close, another reply to the PING).
/// </param>
/// <param name="Reset">The close was a reset: replies written just before it may have been lost on the way.</param>
internal sealed record Transcript(IReadOnlyList<ReplyFrame> Replies, string Ending, bool Reset)
{
    public const string ClosedEnding = "closed";
    public const string OpenEnding = "open";
    public const string PongEnding = "answers PING";

    private static readonly byte[] Ping = "*1\r\n$4\r\nPING\r\n"u8.ToArray();

    public bool TimedOut => Ending.StartsWith("timeout", StringComparison.Ordinal);

    /// <summary>Sends <paramref name="stream"/> (cut into up to three writes) and reads what <paramref name="plan"/> says should come back.</summary>
    /// <param name="pendingWait">How long to watch a connection left with a partial request (0 = not at all).</param>
    /// <param name="giveUp">Ends any wait at once, as a timeout (the differential target's other server is long done).</param>
    public static async Task<Transcript> RecordAsync(int port, byte[] stream, RequestPlan plan, Random random, TimeSpan replyTimeout, TimeSpan pendingWait,
        CancellationToken giveUp = default)
    {
        await using var connection = await ServerConnection.ConnectAsync(port);
        connection.Send(stream, Segments.RandomCuts(stream.Length, 3, random)[1..]);
        var replies = new List<ReplyFrame>();
        var expected = plan.ReplyCount + (plan.Error is null ? 0 : 1);
        try
        {
            for (var i = 0; i < expected; i++)
            {
                var frame = await connection.ReadFrameAsync(replyTimeout, giveUp);
                if (frame is null)
                {
                    return new Transcript(replies, ClosedEnding, connection.Reset);
                }
                replies.Add(frame);
            }
            string ending;
            if (plan.Error is not null || plan.EndsWithQuit)
            {
                ending = await connection.WaitForCloseAsync(replyTimeout, giveUp) ? ClosedEnding : OpenEnding;
            }
            else if (plan.Complete)
            {
                connection.Send(Ping);
                var frame = await connection.ReadFrameAsync(replyTimeout, giveUp);
                ending = frame is null ? ClosedEnding : frame.Raw.AsSpan().SequenceEqual("+PONG\r\n"u8) ? PongEnding : $"PING after the stream answered {frame}";
            }
            else
            {
                ending = pendingWait > TimeSpan.Zero && await connection.WaitForCloseAsync(pendingWait, giveUp) ? ClosedEnding : OpenEnding;
            }
            if (connection.Pending > 0)
            {
                ending += $", then {connection.Pending} more bytes";
            }
            return new Transcript(replies, ending, connection.Reset);
        }
        catch (TimeoutException ex)
        {
            return new Transcript(replies, $"timeout after {replies.Count} of {expected} replies: {ex.Message}", connection.Reset);
        }
        catch (RespProtocolException ex)
        {
            return new Transcript(replies, $"malformed reply after {replies.Count} replies: {ex.Message}", connection.Reset);
        }
    }

    public override string ToString() =>
        $"{Replies.Count} replies [{string.Join(" | ", Replies)}], {Ending}{(Reset ? " (reset)" : "")}";
}
