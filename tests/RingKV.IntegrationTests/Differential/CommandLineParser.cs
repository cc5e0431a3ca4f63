using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// Splits a sequence-file line into arguments with redis-cli's quoting (Redis <c>sdssplitargs</c>): blanks
/// separate arguments; <c>"..."</c> takes the escapes <c>\xHH \n \r \t \b \a \" \\</c> (any other <c>\c</c> is
/// <c>c</c>); <c>'...'</c> takes only <c>\'</c>; a closing quote must end the argument.
/// </summary>
/// <remarks>
/// One extension, for values too long to write out: an unquoted argument <c>&lt;N*TEXT&gt;</c> is TEXT repeated
/// N times (<c>&lt;10240*a&gt;</c> is 10 KB of 'a'). Quote it (<c>"&lt;3*a&gt;"</c>) to send it literally.
/// </remarks>
public static partial class CommandLineParser
{
    /// <summary>Repetitions above this are a typo, not a test (Redis' own limit is 512 MB).</summary>
    private const int MaxRepeatBytes = 1 << 20;

    /// <exception cref="FormatException">Unbalanced quotes, a bad <c>\x</c> escape, or a quote not ending its argument.</exception>
    public static List<byte[]> Split(string line)
    {
        var arguments = new List<byte[]>();
        var position = 0;
        while (true)
        {
            while (position < line.Length && char.IsWhiteSpace(line[position]))
            {
                position++;
            }
            if (position == line.Length)
            {
                return arguments;
            }
            arguments.Add(ReadArgument(line, ref position));
        }
    }

    private static byte[] ReadArgument(string line, ref int position)
    {
        var bytes = new List<byte>();
        var quoted = false;
        while (position < line.Length && !char.IsWhiteSpace(line[position]))
        {
            var c = line[position];
            if (c is '"' or '\'')
            {
                quoted = true;
                position = c == '"' ? ReadDoubleQuoted(line, position + 1, bytes) : ReadSingleQuoted(line, position + 1, bytes);
                if (position < line.Length && !char.IsWhiteSpace(line[position]))
                {
                    throw new FormatException($"closing quote must be followed by a blank (column {position + 1})");
                }
                break;
            }
            bytes.Add(ToByte(c, position));
            position++;
        }
        return quoted ? [.. bytes] : ExpandRepeat([.. bytes]);
    }

    private static int ReadDoubleQuoted(string line, int position, List<byte> bytes)
    {
        while (position < line.Length)
        {
            var c = line[position];
            if (c == '"')
            {
                return position + 1;
            }
            if (c != '\\' || position + 1 == line.Length)
            {
                bytes.Add(ToByte(c, position));
                position++;
                continue;
            }
            var next = line[position + 1];
            if (next == 'x' && position + 3 < line.Length
                && byte.TryParse(line.AsSpan(position + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                bytes.Add(hex);
                position += 4;
                continue;
            }
            bytes.Add(next switch
            {
                'n' => (byte)'\n',
                'r' => (byte)'\r',
                't' => (byte)'\t',
                'b' => (byte)'\b',
                'a' => (byte)'\a',
                _ => ToByte(next, position + 1),
            });
            position += 2;
        }
        throw new FormatException("unbalanced double quote");
    }

    private static int ReadSingleQuoted(string line, int position, List<byte> bytes)
    {
        while (position < line.Length)
        {
            var c = line[position];
            if (c == '\'')
            {
                return position + 1;
            }
            if (c == '\\' && position + 1 < line.Length && line[position + 1] == '\'')
            {
                bytes.Add((byte)'\'');
                position += 2;
                continue;
            }
            bytes.Add(ToByte(c, position));
            position++;
        }
        throw new FormatException("unbalanced single quote");
    }

    private static byte ToByte(char c, int position) =>
        c <= 0xff ? (byte)c : throw new FormatException($"non-Latin-1 character '{c}' at column {position + 1}: write bytes as \\xHH");

    private static byte[] ExpandRepeat(byte[] argument)
    {
        var match = RepeatPattern().Match(Encoding.Latin1.GetString(argument));
        if (!match.Success)
        {
            return argument;
        }
        var count = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = Encoding.Latin1.GetBytes(match.Groups[2].Value);
        if ((long)count * unit.Length > MaxRepeatBytes)
        {
            throw new FormatException($"<{count}*...> expands beyond {MaxRepeatBytes} bytes");
        }
        var expanded = new byte[count * unit.Length];
        for (var i = 0; i < count; i++)
        {
            unit.CopyTo(expanded, i * unit.Length);
        }
        return expanded;
    }

    [GeneratedRegex(@"^<([0-9]{1,7})\*(.+)>$", RegexOptions.Singleline)]
    private static partial Regex RepeatPattern();
}
