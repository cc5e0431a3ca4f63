namespace RingKV.Protocol.Commands;

/// <summary>
/// Redis' glob dialect (KEYS, SCAN MATCH, CONFIG GET): <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[^a-z]</c> and
/// <c>\x</c> escapes, over bytes, with the quirks of Redis' <c>stringmatchlen</c> so that the same pattern selects
/// the same keys: an unclosed <c>[</c> class ends at the pattern's end, a range may be written backwards
/// (<c>[z-a]</c>), and range bounds compare as signed chars, as the C code does.
/// </summary>
/// <remarks>
/// Cost: once a <c>*</c> has tried every suffix of the text and failed to reach the end of the text, no outer
/// <c>*</c> can succeed either, so matching gives up at once (Redis' <c>skipLongerMatches</c>). That bounds the
/// work by pattern length times text length instead of growing exponentially with the number of stars
/// (CVE-2022-36021 was this blow-up in Redis).
/// </remarks>
public static class GlobPattern
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
            // pattern[0] is the last byte this step consumed (for a class, its closing bracket or last byte).
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

    /// <summary>
    /// Matches one byte against the class starting at <paramref name="pattern"/>[0] (the <c>[</c>); leaves
    /// <paramref name="pattern"/> at the class's last byte.
    /// </summary>
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
                // Unclosed class: Redis steps back one byte so that the caller's one-byte step lands on the end.
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
                // Signed chars, as in C on x86: bytes above 127 sort below the ASCII range.
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
