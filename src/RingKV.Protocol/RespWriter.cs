using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace RingKV.Protocol;

/// <summary>
/// Writes RESP2 or RESP3 replies (and commands, which are arrays of bulk strings) to an
/// <see cref="IBufferWriter{T}"/>. No allocation per reply; one instance per connection, not thread-safe.
/// </summary>
/// <remarks>
/// RESP3 differs from RESP2 only in a few frame types here: null (<c>_</c> instead of <c>$-1</c>),
/// maps (<c>%</c> instead of a flat array), doubles and booleans. Callers state intent
/// (<see cref="WriteNull"/>, <see cref="WriteMapHeader"/>) and the writer picks the frame for the negotiated version.
/// </remarks>
public sealed class RespWriter
{
    private IBufferWriter<byte> _output;

    public RespWriter(IBufferWriter<byte> output, int protocolVersion = 2)
    {
        _output = output;
        ProtocolVersion = protocolVersion;
    }

    /// <summary>2 or 3, as negotiated by <c>HELLO</c>.</summary>
    public int ProtocolVersion { get; set; }

    /// <summary>Points the writer at another output (connections swap between their pipe and scratch buffers).</summary>
    public void Reset(IBufferWriter<byte> output) => _output = output;

    public void WriteSimpleString(ReadOnlySpan<byte> text)
    {
        var span = _output.GetSpan(text.Length + 3);
        span[0] = (byte)'+';
        text.CopyTo(span[1..]);
        span[text.Length + 1] = (byte)'\r';
        span[text.Length + 2] = (byte)'\n';
        _output.Advance(text.Length + 3);
    }

    public void WriteOk() => WriteRaw("+OK\r\n"u8);

    /// <summary>Error replies written so far: a server tells a command that failed from one that succeeded by this count.</summary>
    public long ErrorsWritten { get; private set; }

    /// <summary>Writes an error; <paramref name="message"/> includes its code, e.g. <c>ERR unknown command</c>.</summary>
    public void WriteError(ReadOnlySpan<byte> message)
    {
        ErrorsWritten++;
        var span = _output.GetSpan(message.Length + 3);
        span[0] = (byte)'-';
        message.CopyTo(span[1..]);
        // CR/LF inside an error would break framing; Redis replaces them with spaces too.
        for (var i = 1; i <= message.Length; i++)
        {
            if (span[i] is (byte)'\r' or (byte)'\n')
            {
                span[i] = (byte)' ';
            }
        }
        span[message.Length + 1] = (byte)'\r';
        span[message.Length + 2] = (byte)'\n';
        _output.Advance(message.Length + 3);
    }

    public void WriteError(string message) => WriteError(Encoding.UTF8.GetBytes(message));

    public void WriteInteger(long value) => WritePrefixedNumber((byte)':', value);

    public void WriteBulkString(ReadOnlySpan<byte> value)
    {
        WritePrefixedNumber((byte)'$', value.Length);
        var span = _output.GetSpan(value.Length + 2);
        value.CopyTo(span);
        span[value.Length] = (byte)'\r';
        span[value.Length + 1] = (byte)'\n';
        _output.Advance(value.Length + 2);
    }

    public void WriteBulkString(ReadOnlySequence<byte> value)
    {
        WritePrefixedNumber((byte)'$', value.Length);
        foreach (var segment in value)
        {
            _output.Write(segment.Span);
        }
        WriteRaw("\r\n"u8);
    }

    public void WriteBulkString(string value) => WriteBulkString(Encoding.UTF8.GetBytes(value));

    /// <summary>The null bulk string (RESP2 <c>$-1</c>) or RESP3 null (<c>_</c>).</summary>
    public void WriteNull() => WriteRaw(ProtocolVersion >= 3 ? "_\r\n"u8 : "$-1\r\n"u8);

    /// <summary>The null array (RESP2 <c>*-1</c>) or RESP3 null.</summary>
    public void WriteNullArray() => WriteRaw(ProtocolVersion >= 3 ? "_\r\n"u8 : "*-1\r\n"u8);

    public void WriteArrayHeader(int count) => WritePrefixedNumber((byte)'*', count);

    /// <summary>A map of <paramref name="pairs"/> entries: RESP3 <c>%</c>, or a flat array of 2×pairs in RESP2.</summary>
    public void WriteMapHeader(int pairs)
    {
        if (ProtocolVersion >= 3)
        {
            WritePrefixedNumber((byte)'%', pairs);
        }
        else
        {
            WritePrefixedNumber((byte)'*', pairs * 2L);
        }
    }

    /// <summary>Writes a command as an array of bulk strings, the only request form servers must accept.</summary>
    public void WriteCommand(params ReadOnlySpan<string> args)
    {
        WriteArrayHeader(args.Length);
        foreach (var arg in args)
        {
            WriteBulkString(arg);
        }
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    private void WritePrefixedNumber(byte prefix, long value)
    {
        var span = _output.GetSpan(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(value, span[1..], out var written);
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        _output.Advance(written + 3);
    }
}
