using System.Globalization;

namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// One complete RESP2 reply frame (<c>+ - : $ *</c>, nested arrays, null bulk and null array) with the exact bytes
/// it arrived as, so that replies can be compared byte for byte and still be inspected by type.
/// </summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class RespFrame
{
    private RespFrame(byte kind, byte[] raw, byte[]? payload, long integer, IReadOnlyList<RespFrame>? items)
    {
        Kind = kind;
        Raw = raw;
        Payload = payload;
        Integer = integer;
        Items = items;
    }

    /// <summary>The type byte: <c>'+'</c>, <c>'-'</c>, <c>':'</c>, <c>'$'</c> or <c>'*'</c>.</summary>
    public byte Kind { get; }

    /// <summary>The whole frame as received, CRLFs included.</summary>
    public byte[] Raw { get; }

    /// <summary>The text of a simple string or error, the content of a bulk string; null for a null bulk and for arrays.</summary>
    public byte[]? Payload { get; }

    /// <summary>The value of an integer frame (0 for other kinds).</summary>
    public long Integer { get; }

    /// <summary>The elements of a non-null array; null for every other frame.</summary>
    public IReadOnlyList<RespFrame>? Items { get; }

    public bool IsError => Kind == (byte)'-';

    /// <summary>A null bulk string (<c>$-1</c>) or a null array (<c>*-1</c>).</summary>
    public bool IsNull => Kind is (byte)'$' or (byte)'*' && Payload is null && Items is null;

    public bool IsBulk => Kind == (byte)'$' && Payload is not null;

    public bool IsInteger => Kind == (byte)':';

    public bool IsArray => Kind == (byte)'*' && Items is not null;

    /// <summary>Parses the frame at the start of <paramref name="data"/>.</summary>
    /// <returns>The frame and how many bytes it took, or null when <paramref name="data"/> holds only part of a frame.</returns>
    /// <exception cref="FormatException">The bytes are not a RESP2 frame (a RESP3 type byte included).</exception>
    public static RespFrame? TryParse(ReadOnlySpan<byte> data, out int consumed)
    {
        var frame = TryParseAt(data, 0, out var end);
        consumed = frame is null ? 0 : end;
        return frame;
    }

    private static RespFrame? TryParseAt(ReadOnlySpan<byte> data, int start, out int end)
    {
        end = start;
        if (start >= data.Length)
        {
            return null;
        }
        var lineLength = data[start..].IndexOf("\r\n"u8);
        if (lineLength < 0)
        {
            return null;
        }
        var kind = data[start];
        var line = data.Slice(start + 1, lineLength - 1);
        var afterLine = start + lineLength + 2;
        switch (kind)
        {
            case (byte)'+' or (byte)'-':
                end = afterLine;
                return new RespFrame(kind, data[start..end].ToArray(), line.ToArray(), 0, null);
            case (byte)':':
                end = afterLine;
                return new RespFrame(kind, data[start..end].ToArray(), null, ParseLength(line, kind), null);
            case (byte)'$':
                return TryParseBulk(data, start, afterLine, ParseLength(line, kind), out end);
            case (byte)'*':
                return TryParseArray(data, start, afterLine, ParseLength(line, kind), out end);
            default:
                throw new FormatException($"not a RESP2 type byte: 0x{kind:x2} at the start of a frame");
        }
    }

    private static RespFrame? TryParseBulk(ReadOnlySpan<byte> data, int start, int afterLine, long length, out int end)
    {
        end = start;
        if (length == -1)
        {
            end = afterLine;
            return new RespFrame((byte)'$', data[start..end].ToArray(), null, 0, null);
        }
        if (length < -1 || length > int.MaxValue - 2)
        {
            throw new FormatException($"bulk string length {length} is invalid");
        }
        if (data.Length - afterLine < length + 2)
        {
            return null;
        }
        var payloadEnd = afterLine + (int)length;
        if (!data.Slice(payloadEnd, 2).SequenceEqual("\r\n"u8))
        {
            throw new FormatException($"bulk string of {length} bytes is not followed by CRLF");
        }
        end = payloadEnd + 2;
        return new RespFrame((byte)'$', data[start..end].ToArray(), data[afterLine..payloadEnd].ToArray(), 0, null);
    }

    private static RespFrame? TryParseArray(ReadOnlySpan<byte> data, int start, int afterLine, long count, out int end)
    {
        end = start;
        if (count == -1)
        {
            end = afterLine;
            return new RespFrame((byte)'*', data[start..end].ToArray(), null, 0, null);
        }
        if (count < -1 || count > int.MaxValue)
        {
            throw new FormatException($"array length {count} is invalid");
        }
        var items = new List<RespFrame>((int)Math.Min(count, 1024));
        var position = afterLine;
        for (long i = 0; i < count; i++)
        {
            var item = TryParseAt(data, position, out position);
            if (item is null)
            {
                return null;
            }
            items.Add(item);
        }
        end = position;
        return new RespFrame((byte)'*', data[start..end].ToArray(), null, 0, items);
    }

    private static long ParseLength(ReadOnlySpan<byte> line, byte kind) =>
        long.TryParse(line, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{(char)kind}' frame carries a non-integer: '{Escaping.Render(line)}'");

    public override string ToString() => Escaping.Render(Raw);
}
