namespace RingKV.Protocol.Tests;

/// <summary>
/// The oracle for <see cref="Commands.GlobPattern"/>: Redis' <c>stringmatchlen</c> as the recursion it is (one level
/// per <c>*</c>, with its skipLongerMatches rule), transcribed from the C and kept exactly as RingKV's matcher was
/// before it became a loop. Only for short patterns: its depth grows with the number of stars.
/// </summary>
internal static class RecursiveGlob
{
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase = false)
    {
        var skipLongerMatches = false;
        return Match(pattern, text, ignoreCase, ref skipLongerMatches);
    }

    private static bool Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase, ref bool skipLongerMatches)
    {
        while (!pattern.IsEmpty && !text.IsEmpty)
        {
            switch (pattern[0])
            {
                case (byte)'*':
                    while (pattern.Length > 1 && pattern[1] == (byte)'*')
                    {
                        pattern = pattern[1..];
                    }
                    if (pattern.Length == 1)
                    {
                        return true;
                    }
                    while (!text.IsEmpty)
                    {
                        if (Match(pattern[1..], text, ignoreCase, ref skipLongerMatches))
                        {
                            return true;
                        }
                        if (skipLongerMatches)
                        {
                            return false;
                        }
                        text = text[1..];
                    }
                    skipLongerMatches = true;
                    return false;
                case (byte)'?':
                    break;
                case (byte)'[':
                    if (!MatchClass(ref pattern, text[0], ignoreCase))
                    {
                        return false;
                    }
                    break;
                default:
                    if (pattern[0] == (byte)'\\' && pattern.Length >= 2)
                    {
                        pattern = pattern[1..];
                    }
                    if (!Same(pattern[0], text[0], ignoreCase))
                    {
                        return false;
                    }
                    break;
            }
            pattern = pattern[1..];
            text = text[1..];
            if (text.IsEmpty)
            {
                while (!pattern.IsEmpty && pattern[0] == (byte)'*')
                {
                    pattern = pattern[1..];
                }
                break;
            }
        }
        return pattern.IsEmpty && text.IsEmpty;
    }

    private static bool MatchClass(ref ReadOnlySpan<byte> pattern, byte c, bool ignoreCase)
    {
        pattern = pattern[1..];
        var negate = !pattern.IsEmpty && pattern[0] == (byte)'^';
        if (negate)
        {
            pattern = pattern[1..];
        }
        var matched = false;
        while (true)
        {
            if (pattern.IsEmpty)
            {
                pattern = "\0"u8;
                break;
            }
            if (pattern[0] == (byte)'\\' && pattern.Length >= 2)
            {
                pattern = pattern[1..];
                matched |= pattern[0] == c;
            }
            else if (pattern[0] == (byte)']')
            {
                break;
            }
            else if (pattern.Length >= 3 && pattern[1] == (byte)'-')
            {
                int start = (sbyte)pattern[0], end = (sbyte)pattern[2], value = (sbyte)c;
                if (start > end)
                {
                    (start, end) = (end, start);
                }
                if (ignoreCase)
                {
                    start = (sbyte)Lower((byte)start);
                    end = (sbyte)Lower((byte)end);
                    value = (sbyte)Lower(c);
                }
                pattern = pattern[2..];
                matched |= value >= start && value <= end;
            }
            else
            {
                matched |= Same(pattern[0], c, ignoreCase);
            }
            pattern = pattern[1..];
        }
        return negate ? !matched : matched;
    }

    private static bool Same(byte a, byte b, bool ignoreCase) => ignoreCase ? Lower(a) == Lower(b) : a == b;

    private static byte Lower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c;
}
