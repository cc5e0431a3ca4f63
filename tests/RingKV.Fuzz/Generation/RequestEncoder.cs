using System.Text;

namespace RingKV.Fuzz.Generation;

/// <summary>Writes requests as a client would: a RESP multibulk array of bulk strings, or an inline (telnet) line.</summary>
internal static class RequestEncoder
{
    public static void Multibulk(List<byte> output, IReadOnlyList<byte[]> args)
    {
        Ascii(output, $"*{args.Count}\r\n");
        foreach (var arg in args)
        {
            Ascii(output, $"${arg.Length}\r\n");
            output.AddRange(arg);
            Ascii(output, "\r\n");
        }
    }

    /// <summary>
    /// An inline line that splits back into exactly <paramref name="args"/> under Redis' <c>sdssplitargs</c>: plain
    /// words stay bare, anything else is double-quoted with <c>\xHH</c> escapes (sometimes single-quoted when it can be).
    /// </summary>
    public static void Inline(List<byte> output, IReadOnlyList<byte[]> args, Random random)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0)
            {
                output.Add((byte)' ');
            }
            var arg = args[i];
            // A line that starts with '*' would be read as a multibulk header.
            var startsLine = i == 0 && arg.Length > 0 && arg[0] == (byte)'*';
            if (arg.Length > 0 && arg.All(IsPlain) && !startsLine)
            {
                output.AddRange(arg);
            }
            else if (arg.All(b => b is >= 0x20 and < 0x7f && b != (byte)'\'' && b != (byte)'\\') && random.Next(3) == 0)
            {
                output.Add((byte)'\'');
                output.AddRange(arg);
                output.Add((byte)'\'');
            }
            else
            {
                DoubleQuoted(output, arg);
            }
        }
        Ascii(output, random.Next(8) == 0 ? "\n" : "\r\n");
    }

    private static void DoubleQuoted(List<byte> output, byte[] arg)
    {
        output.Add((byte)'"');
        foreach (var b in arg)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                output.Add((byte)'\\');
                output.Add(b);
            }
            else if (b is >= 0x20 and < 0x7f)
            {
                output.Add(b);
            }
            else
            {
                Ascii(output, $"\\x{b:x2}");
            }
        }
        output.Add((byte)'"');
    }

    // Bytes that end or start something in sdssplitargs, or that the node would read differently, are never bare.
    private static bool IsPlain(byte b) => b is > 0x20 and < 0x7f && b != (byte)'"' && b != (byte)'\'';

    public static void Ascii(List<byte> output, string text) => output.AddRange(Encoding.Latin1.GetBytes(text));
}
