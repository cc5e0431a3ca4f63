using System.Text;

namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// Renders bytes as readable ASCII in the quoting of the sequence files (redis-cli style): printable ASCII as is,
/// <c>\r \n \t \" \\</c>, every other byte as <c>\xHH</c>. Long inputs are cut so a failure message stays readable.
/// </summary>
public static class Escaping
{
    /// <summary>Bytes shown before a long input is cut.</summary>
    public const int DefaultLimit = 300;

    /// <param name="limit">Bytes to render; the rest is summarized as <c>…(+N bytes)</c>.</param>
    public static string Render(ReadOnlySpan<byte> bytes, int limit = DefaultLimit)
    {
        var text = new StringBuilder(Math.Min(bytes.Length, limit) + 16);
        foreach (var b in bytes[..Math.Min(bytes.Length, limit)])
        {
            Append(text, b);
        }
        if (bytes.Length > limit)
        {
            text.Append($"…(+{bytes.Length - limit} bytes)");
        }
        return text.ToString();
    }

    /// <summary>One argument as a sequence file would spell it: bare when that is unambiguous, quoted otherwise.</summary>
    public static string Argument(ReadOnlySpan<byte> argument, int limit = 64)
    {
        var bare = argument.Length > 0 && argument.Length <= limit;
        foreach (var b in argument)
        {
            bare &= b is > 0x20 and < 0x7f and not (byte)'"' and not (byte)'\'' and not (byte)'\\';
        }
        return bare ? Encoding.ASCII.GetString(argument) : '"' + Render(argument, limit) + '"';
    }

    private static void Append(StringBuilder text, byte b)
    {
        switch (b)
        {
            case (byte)'\r':
                text.Append("\\r");
                break;
            case (byte)'\n':
                text.Append("\\n");
                break;
            case (byte)'\t':
                text.Append("\\t");
                break;
            case (byte)'"':
                text.Append("\\\"");
                break;
            case (byte)'\\':
                text.Append("\\\\");
                break;
            case >= 0x20 and < 0x7f:
                text.Append((char)b);
                break;
            default:
                text.Append($"\\x{b:x2}");
                break;
        }
    }
}
