using System.Buffers;
using RingKV.Protocol.Commands;

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
    /// did arrive: called again with the same request on a buffer that starts at the same position, more having
    /// arrived (what a connection does), parsing continues after them, so a large request costs linear time however
    /// it is cut. Any other call starts over.</returns>
    /// <exception cref="RespProtocolException">The input can not be a valid request.</exception>
    public static bool TryParse(ref SequenceReader<byte> reader, RespRequest request, RespLimits limits)
    {
        if (!reader.TryPeek(out var first))
        {
            return false;
        }
        var probe = reader;
        bool complete;
        try
        {
            complete = first == (byte)'*'
                ? TryParseMultibulk(ref probe, request, limits)
                : TryParseInline(ref probe, request, limits);
        }
        catch (RespProtocolException)
        {
            request.EndSuspension();
            throw;
        }
        if (complete)
        {
            reader = probe;
        }
        return complete;
    }

    private static bool TryParseMultibulk(ref SequenceReader<byte> reader, RespRequest request, RespLimits limits)
    {
        var start = reader.Position;
        var startConsumed = reader.Consumed;
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
        // A request that spans reads continues where the last attempt stopped instead of walking its arguments again:
        // re-walking costs time quadratic in the request's length (a 100,000-argument request arriving in 16 KB reads
        // took seconds; found by the command-layer fuzzer). Redis keeps the same state (multibulklen) between reads.
        if (request.TryResume(start, count, out var resumeAt) && reader.Remaining >= resumeAt - (reader.Consumed - startConsumed))
        {
            reader.Advance(resumeAt - (reader.Consumed - startConsumed));
        }
        else
        {
            // Also drops a suspension that does not fit this buffer (a caller re-reading a shorter view).
            request.Reset((int)Math.Clamp(count, 0, MaxPresize));
        }
        for (long i = request.Count; i < count; i++)
        {
            var argumentStart = reader.Consumed - startConsumed;
            if (!reader.TryPeek(out var marker))
            {
                request.Suspend(start, count, argumentStart);
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
                request.Suspend(start, count, argumentStart);
                return false;
            }
            if (!TryParseInteger(lengthLine, out var length) || length < 0 || length > limits.MaxBulkLength)
            {
                throw new RespProtocolException("Protocol error: invalid bulk length");
            }
            // Subtracting from what arrived cannot overflow, unlike adding to a length as large as the limit allows.
            if (reader.Remaining - 2 < length)
            {
                request.Suspend(start, count, argumentStart);
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
        request.EndSuspension();
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

    /// <summary>
    /// A <c>*</c> or <c>$</c> header's number, as strictly as Redis' <c>string2ll</c>: <c>+1</c>, <c>01</c> and
    /// <c>-0</c> are protocol errors there, so they are here (the differential fuzzer found .NET's parser accepting them).
    /// </summary>
    internal static bool TryParseInteger(ReadOnlySequence<byte> digits, out long value)
    {
        value = 0;
        if (digits.Length is 0 or > 20)
        {
            return false;
        }
        Span<byte> buffer = stackalloc byte[20];
        digits.CopyTo(buffer);
        return RedisInteger.TryParse(buffer[..(int)digits.Length], out value);
    }
}
