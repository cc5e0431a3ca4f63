namespace RingKV.Protocol;

/// <summary>
/// Splits an inline command line into arguments the way Redis' <c>sdssplitargs</c> does: whitespace separates
/// arguments; "double quotes" support \n \r \t \b \a \\ \" and \xHH escapes; 'single quotes' support \'.
/// A quote opens quoting wherever it appears in an argument (<c>a"b c"</c> is one argument, <c>ab c</c>), and a
/// closing quote must be followed by whitespace or the end of the line.
/// </summary>
/// <remarks>
/// Like sdssplitargs, an argument ends only at a space, tab, CR or LF, while the whitespace skipped between arguments
/// also includes \v and \f: <c>a\vb</c> is one argument. (The differential fuzzer found both rules; docs/fuzzing.md.)
/// </remarks>
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
            var start = i;
            while (i < line.Length && !EndsArgument(line[i]) && !IsQuote(line[i]))
            {
                i++;
            }
            // A quote opens quoting mid-argument too; its closing quote ends the argument.
            request.Add(i < line.Length && IsQuote(line[i]) ? [.. line[start..i], .. ReadQuoted(line, ref i)] : line[start..i].ToArray());
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

    private static bool IsQuote(byte c) => c is (byte)'"' or (byte)'\'';

    private static bool EndsArgument(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\v' or (byte)'\f';

    private static bool IsHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte c) => c <= (byte)'9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
