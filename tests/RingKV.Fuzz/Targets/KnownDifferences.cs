using RingKV.Fuzz.Generation;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Fuzz.Targets;

/// <summary>
/// The allowlist of the differential target: streams on which RingKV deliberately parts from redis-server, each with
/// its reason (listed in docs/fuzzing.md; a new entry needs a reason a user can read there). The target sends both
/// servers only the stream before the first such request, so everything before it is still compared (and the
/// comparison does not wait out a redis-server that sits waiting for input RingKV already refused).
/// </summary>
internal static class KnownDifferences
{
    /// <summary>Where the first tolerated difference starts in <paramref name="stream"/>, and why; null when there is none.</summary>
    /// <param name="redisCommands">The command names redis-server knows (lower case), from its COMMAND LIST.</param>
    public static (int Offset, string Reason)? Find(byte[] stream, RequestPlan plan, RespLimits limits, IReadOnlySet<string> redisCommands)
    {
        // In stream order: the first request any rule applies to is where the comparison stops.
        foreach (var (args, offset) in plan.Requests)
        {
            // Mutations turn compared commands into others: HELLO, INFO, CLIENT… (whose replies name the server),
            // RingKV's own (PUT, RKV.*), or one RingKV does not serve (LPUSH). Names neither knows stay compared.
            var command = CommandTable.Lookup(args[0]);
            var redisKnows = redisCommands.Contains(System.Text.Encoding.Latin1.GetString(args[0]).ToLowerInvariant());
            if (command == RespCommand.Unknown ? redisKnows : !CommandVocabulary.Differential.Covers(command))
            {
                return (offset, "a command outside the compared set");
            }
            if (InlineWithNul(stream, offset))
            {
                return (offset, "NUL byte in an inline request");
            }
        }
        if (InlineWithNul(stream, plan.TailOffset))
        {
            return (plan.TailOffset, "NUL byte in an inline request");
        }
        if (plan.TailOffset >= stream.Length || stream[plan.TailOffset] != (byte)'*')
        {
            return plan.Error is not null && InlineTooLong(stream.AsSpan(plan.TailOffset), limits) ? (plan.TailOffset, "inline request over the 64 KB limit") : null;
        }
        var reason = Multibulk(stream.AsSpan(plan.TailOffset), limits, refused: plan.Error is not null);
        return reason is null ? null : (plan.TailOffset, reason);
    }

    // Redis finds an inline request's end with strchr('\n'), which stops at a NUL: it waits for more input.
    private static bool InlineWithNul(byte[] stream, int offset)
    {
        if (offset >= stream.Length || stream[offset] == (byte)'*')
        {
            return false;
        }
        var line = stream.AsSpan(offset);
        var newline = line.IndexOf((byte)'\n');
        return line[..(newline < 0 ? line.Length : newline)].Contains((byte)0);
    }

    // Redis checks an inline request's length only while its newline has not arrived, so whether it accepts a line
    // just over 64 KB depends on how its reads were cut; RingKV always refuses it.
    private static bool InlineTooLong(ReadOnlySpan<byte> frame, RespLimits limits)
    {
        var newline = frame.IndexOf((byte)'\n');
        return newline < 0 || newline > limits.MaxInlineLength;
    }

    /// <summary>
    /// Why the servers may part at a multibulk frame that RingKV refused (<paramref name="refused"/>) or still waits
    /// for the rest of; null when they must not.
    /// </summary>
    private static string? Multibulk(ReadOnlySpan<byte> frame, RespLimits limits, bool refused)
    {
        var position = 0;
        var first = true;
        while (position < frame.Length)
        {
            var lineEnd = frame[position..].IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? frame[position..] : frame[position..(position + lineEnd)];
            // Redis finds a header's end with strchr('\r'): it stops at a NUL byte and takes the byte after any CR as
            // the LF, so it frames such headers differently (or waits) where RingKV answers a protocol error or waits.
            if (line.IndexOfAny((byte)0, (byte)'\r') >= 0)
            {
                return "NUL or lone CR in a header line";
            }
            if (refused && line.Length > limits.MaxInlineLength)
            {
                return "header line over the 64 KB limit (Redis' error text depends on how its reads were cut)";
            }
            // Redis looks for a bulk header's CR before it checks the '$'; RingKV refuses a wrong marker at once.
            if (refused && !first && lineEnd < 0 && !line.IsEmpty && line[0] != (byte)'$')
            {
                return "wrong bulk marker refused before its line ends";
            }
            if (lineEnd < 0 || line.IsEmpty || !long.TryParse(line[1..], out var number))
            {
                return null;
            }
            if (first)
            {
                first = false;
                // Redis 7 accepts up to INT_MAX arguments; RingKV caps a request at RespLimits.MaxArguments.
                if (refused && number > limits.MaxArguments && number <= int.MaxValue)
                {
                    return "multibulk count over RespLimits.MaxArguments";
                }
                position += lineEnd + 2;
                continue;
            }
            if (line[0] != (byte)'$' || number < 0 || number > frame.Length)
            {
                return null;
            }
            var payloadEnd = position + lineEnd + 2 + number;
            if (payloadEnd + 2 > frame.Length)
            {
                return null;
            }
            // Redis skips the two bytes after a bulk payload without looking at them; RingKV requires them to be CRLF
            // (RespRequestParser: a client that framed its lengths wrong would have everything after misread).
            if (!frame.Slice((int)payloadEnd, 2).SequenceEqual("\r\n"u8))
            {
                return "bulk payload not followed by CRLF";
            }
            position = (int)payloadEnd + 2;
        }
        return null;
    }
}
