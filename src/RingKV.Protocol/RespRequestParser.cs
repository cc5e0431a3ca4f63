using System.Buffers;
using System.Buffers.Text;

namespace RingKV.Protocol;

/// <summary>
/// Frames client requests: RESP multibulk arrays (<c>*2\r\n$3\r\nGET\r\n$1\r\nk\r\n</c>) and inline
/// commands (<c>GET k\r\n</c>, what telnet and nc users type). Pure: no sockets, no allocation in steady state.
/// </summary>
/// <remarks>
/// "Need more data" is a normal result (<see langword="false"/>, the reader is left where it was), malformed
/// input throws <see cref="RespProtocolException"/> with Redis' wording. Error texts follow Redis'
/// <c>networking.c</c> (processMultibulkBuffer / processInlineBuffer) so clients see familiar messages.
/// </remarks>
public static class RespRequestParser
{
    // Never pre-size the argument array from the declared count alone: "*1048576\r\n" would cost 16 MB
    // before a single argument arrived.
    private const int MaxPresize = 1024;

    /// <summary>
    /// Tries to parse one request starting at the reader's position. Empty requests (<c>*0</c>, <c>*-1</c>, a blank
    /// inline line) are consumed and reported as a request with <see cref="RespRequest.Count"/> 0, which callers skip.
    /// </summary>
    /// <returns><see langword="true"/> and the reader advanced past the request, or <see langword="false"/> and the
    /// reader unchanged when the request is not complete yet. Then <paramref name="request"/> keeps the arguments that
    /// did arrive, and the next call must pass the same request with the reader at the same bytes, more having arrived
    /// (what a connection does): parsing resumes after them. Any other use starts over, at the cost of parsing again.</returns>
    /// <exception cref="RespProtocolException">The input can not be a valid request.</exception>
    public static bool TryParse(ref SequenceReader<byte> reader, RespRequest request, RespLimits limits)
    {
        if (!reader.TryPeek(out var first))
        {
            return false;
        }
        var probe = reader;
        var complete = first == (byte)'*'
            ? TryParseMultibulk(ref probe, request, limits)
            : TryParseInline(ref probe, request, limits);
        if (complete)
        {
            reader = probe;
        }
        return complete;
    }

    private static bool TryParseMultibulk(ref SequenceReader<byte> reader, RespRequest request, RespLimits limits)
    {
        var start = reader.Consumed;
        reader.Advance(1);
        if (!TryReadLine(ref reader, limits.MaxInlineLength, out var header))
        {
            ThrowIfLineTooLong(reader, limits, "Protocol error: too big mbulk count string");
            return false;
        }
        if (!TryParseInteger(header, out var count) || count > limits.MaxArguments)
        {
            throw new RespProtocolException("Protocol error: invalid multibulk length");
        }
        // Parsing again from the first argument each time a little more of a long request arrives would cost time
        // quadratic in its length (a 7 MB request of a million small arguments, sent slowly: minutes of CPU), so a
        // request that was incomplete resumes after the arguments it already holds.
        if (request.TryResume(count, out var parsedBytes))
        {
            reader.Advance(parsedBytes - (reader.Consumed - start));
        }
        else
        {
            request.Reset((int)Math.Clamp(count, 0, MaxPresize));
        }
        while (request.Count < count)
        {
            var argumentStart = reader.Consumed;
            if (!reader.TryPeek(out var marker))
            {
                request.Suspend(count, argumentStart - start);
                return false;
            }
            if (marker != (byte)'$')
            {
                throw new RespProtocolException($"Protocol error: expected '$', got '{(char)marker}'");
            }
            reader.Advance(1);
            if (!TryReadLine(ref reader, limits.MaxInlineLength, out var lengthLine))
            {
                ThrowIfLineTooLong(reader, limits, "Protocol error: invalid bulk length");
                request.Suspend(count, argumentStart - start);
                return false;
            }
            if (!TryParseInteger(lengthLine, out var length) || length < 0 || length > limits.MaxBulkLength)
            {
                throw new RespProtocolException("Protocol error: invalid bulk length");
            }
            // Subtracting from what arrived cannot overflow, unlike adding to a length as large as the limit allows.
            if (reader.Remaining - 2 < length)
            {
                request.Suspend(count, argumentStart - start);
                return false;
            }
            var payload = reader.Sequence.Slice(reader.Position, length);
            reader.Advance(length);
            if (!reader.IsNext("\r\n"u8, advancePast: true))
            {
                // Redis reads exactly len+2 bytes and trusts the CRLF; we are stricter because a missing CRLF
                // means the client framed its lengths wrong and everything after would be misread.
                throw new RespProtocolException("Protocol error: invalid bulk length");
            }
            request.Add(payload.IsSingleSegment ? payload.First : payload.ToArray());
        }
        request.Suspend(0, 0);
        return true;
    }

    private static bool TryParseInline(ref SequenceReader<byte> reader, RespRequest request, RespLimits limits)
    {
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n', advancePastDelimiter: true))
        {
            if (reader.Remaining > limits.MaxInlineLength)
            {
                throw new RespProtocolException("Protocol error: too big inline request");
            }
            return false;
        }
        if (line.Length > limits.MaxInlineLength)
        {
            throw new RespProtocolException("Protocol error: too big inline request");
        }
        request.Reset(8);
        request.IsInline = true;
        InlineSplitter.Split(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), request);
        return true;
    }

    private static void ThrowIfLineTooLong(SequenceReader<byte> reader, RespLimits limits, string message)
    {
        if (reader.Remaining > limits.MaxInlineLength)
        {
            throw new RespProtocolException(message);
        }
    }

    private static bool TryReadLine(ref SequenceReader<byte> reader, int maxLength, out ReadOnlySequence<byte> line)
    {
        if (!reader.TryReadTo(out line, "\r\n"u8, advancePastDelimiter: true))
        {
            return false;
        }
        if (line.Length > maxLength)
        {
            throw new RespProtocolException("Protocol error: too big inline request");
        }
        return true;
    }

    internal static bool TryParseInteger(ReadOnlySequence<byte> digits, out long value)
    {
        value = 0;
        if (digits.Length is 0 or > 20)
        {
            return false;
        }
        Span<byte> buffer = stackalloc byte[20];
        digits.CopyTo(buffer);
        var span = buffer[..(int)digits.Length];
        return Utf8Parser.TryParse(span, out value, out var consumed) && consumed == span.Length;
    }
}
