using System.Buffers;

namespace RingKV.Protocol;

/// <summary>
/// Parses replies (RESP2 and RESP3) into owned <see cref="RespValue"/> trees, for the client side of a connection.
/// Same contract as <see cref="RespRequestParser"/>: incomplete input returns <see langword="false"/> with the
/// reader unchanged, malformed input throws <see cref="RespProtocolException"/>.
/// </summary>
/// <remarks>
/// The parser recurses once per aggregate level; <see cref="RespLimits.MaxNestingDepth"/> bounds the depth, so a
/// hostile peer's <c>*1\r\n*1\r\n…</c> is refused long before the stack runs out. Aggregates are never pre-sized
/// beyond 1024 elements from their declared count.
/// </remarks>
public static class RespReplyParser
{
    public static bool TryParse(ref SequenceReader<byte> reader, RespLimits limits, out RespValue value)
    {
        var probe = reader;
        if (TryParseValue(ref probe, limits, 0, out value))
        {
            reader = probe;
            return true;
        }
        return false;
    }

    private static bool TryParseValue(ref SequenceReader<byte> reader, RespLimits limits, int depth, out RespValue value)
    {
        value = RespValue.Null;
        if (!reader.TryRead(out var prefix))
        {
            return false;
        }
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8, advancePastDelimiter: true))
        {
            if (reader.Remaining > limits.MaxInlineLength)
            {
                throw new RespProtocolException("Protocol error: too big reply line");
            }
            return false;
        }
        // The same limit once the CRLF is there: otherwise a long line would be refused or accepted depending on
        // whether it arrived in one read or several (found by the parser fuzzer).
        if (line.Length > limits.MaxInlineLength)
        {
            throw new RespProtocolException("Protocol error: too big reply line");
        }
        var type = (RespType)prefix;
        switch (type)
        {
            case RespType.SimpleString or RespType.Error or RespType.Double or RespType.BigNumber:
                value = new RespValue(type, line.ToArray());
                return true;
            case RespType.Boolean:
                value = new RespValue(type, line.ToArray(), line.FirstSpan.Length > 0 && line.FirstSpan[0] == (byte)'t' ? 1 : 0);
                return true;
            case RespType.Null:
                return true;
            case RespType.Integer:
                value = new RespValue(type, integer: ParseLength(line, long.MinValue, "invalid integer"));
                return true;
            case RespType.BulkString or RespType.BulkError or RespType.VerbatimString:
                return TryParseBulk(ref reader, line, type, limits, out value);
            case RespType.Array or RespType.Set or RespType.Push or RespType.Map:
                return TryParseAggregate(ref reader, line, type, limits, depth, out value);
            default:
                throw new RespProtocolException($"Protocol error: unexpected reply type '{(char)prefix}'");
        }
    }

    private static bool TryParseBulk(ref SequenceReader<byte> reader, ReadOnlySequence<byte> line, RespType type, RespLimits limits, out RespValue value)
    {
        value = RespValue.Null;
        var length = ParseLength(line, -1, "invalid bulk length");
        if (length == -1)
        {
            return true;
        }
        if (length > limits.MaxBulkLength)
        {
            throw new RespProtocolException("Protocol error: invalid bulk length");
        }
        if (reader.Remaining - 2 < length)
        {
            return false;
        }
        var payload = reader.Sequence.Slice(reader.Position, length).ToArray();
        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            throw new RespProtocolException("Protocol error: bulk string not terminated by CRLF");
        }
        value = new RespValue(type, payload);
        return true;
    }

    private static bool TryParseAggregate(ref SequenceReader<byte> reader, ReadOnlySequence<byte> line, RespType type, RespLimits limits, int depth, out RespValue value)
    {
        value = RespValue.Null;
        var count = ParseLength(line, -1, "invalid multibulk length");
        if (count == -1)
        {
            return true;
        }
        // A map's count is checked before it is doubled into items: "%9223372036854775807" overflowed to a negative list
        // capacity (ArgumentOutOfRangeException instead of a protocol error; found by the parser fuzzer).
        if (count > (type == RespType.Map ? limits.MaxArguments / 2 : limits.MaxArguments))
        {
            throw new RespProtocolException("Protocol error: invalid multibulk length");
        }
        if (type == RespType.Map)
        {
            count *= 2;
        }
        // depth counts the aggregates around this one.
        if (depth >= limits.MaxNestingDepth)
        {
            throw new RespProtocolException("Protocol error: reply nested too deeply");
        }
        var items = new List<RespValue>((int)Math.Min(count, 1024));
        for (long i = 0; i < count; i++)
        {
            if (!TryParseValue(ref reader, limits, depth + 1, out var item))
            {
                return false;
            }
            items.Add(item);
        }
        value = new RespValue(type, items: items);
        return true;
    }

    private static long ParseLength(ReadOnlySequence<byte> line, long min, string error)
    {
        if (!RespRequestParser.TryParseInteger(line, out var number) || number < min)
        {
            throw new RespProtocolException("Protocol error: " + error);
        }
        return number;
    }
}
