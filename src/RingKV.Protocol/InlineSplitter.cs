namespace RingKV.Protocol;

/// <summary>
/// Splits an inline command line into arguments the way Redis' <c>sdssplitargs</c> does: spaces separate
/// arguments; "double quotes" support \n \r \t \b \a \\ \" and \xHH escapes; 'single quotes' support \'.
/// A closing quote must be followed by a space or the end of the line.
/// </summary>
internal static class InlineSplitter
{
    public static void Split(ReadOnlySpan<byte> line, RespRequest request)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }
        var i = 0;
        while (true)
        {
            while (i < line.Length && IsSpace(line[i]))
            {
                i++;
            }
            if (i >= line.Length)
            {
                return;
            }
            if (line[i] is (byte)'"' or (byte)'\'')
            {
                request.Add(ReadQuoted(line, ref i));
            }
            else
            {
                var start = i;
                while (i < line.Length && !IsSpace(line[i]))
                {
                    i++;
                }
                request.Add(line[start..i].ToArray());
            }
        }
    }

    private static byte[] ReadQuoted(ReadOnlySpan<byte> line, ref int i)
    {
        var quote = line[i++];
        var buffer = new List<byte>();
        while (true)
        {
            if (i >= line.Length)
            {
                throw new RespProtocolException("Protocol error: unbalanced quotes in request");
            }
            var c = line[i];
            if (c == quote)
            {
                i++;
                if (i < line.Length && !IsSpace(line[i]))
                {
                    throw new RespProtocolException("Protocol error: unbalanced quotes in request");
                }
                return [.. buffer];
            }
            if (c == (byte)'\\' && i + 1 < line.Length)
            {
                if (quote == (byte)'"')
                {
                    i += ReadEscape(line[(i + 1)..], buffer) + 1;
                    continue;
                }
                if (line[i + 1] == (byte)'\'')
                {
                    buffer.Add((byte)'\'');
                    i += 2;
                    continue;
                }
            }
            buffer.Add(c);
            i++;
        }
    }

    /// <returns>Bytes consumed after the backslash.</returns>
    private static int ReadEscape(ReadOnlySpan<byte> rest, List<byte> buffer)
    {
        if (rest[0] == (byte)'x' && rest.Length >= 3 && IsHex(rest[1]) && IsHex(rest[2]))
        {
            buffer.Add((byte)((HexValue(rest[1]) << 4) | HexValue(rest[2])));
            return 3;
        }
        buffer.Add(rest[0] switch
        {
            (byte)'n' => (byte)'\n',
            (byte)'r' => (byte)'\r',
            (byte)'t' => (byte)'\t',
            (byte)'b' => (byte)'\b',
            (byte)'a' => (byte)'\a',
            var other => other,
        });
        return 1;
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\v' or (byte)'\f';

    private static bool IsHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte c) => c <= (byte)'9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
