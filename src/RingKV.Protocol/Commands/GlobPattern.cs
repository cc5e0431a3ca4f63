namespace RingKV.Protocol.Commands;

/// <summary>
/// Redis' glob dialect (KEYS, SCAN MATCH, CONFIG GET): <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[^a-z]</c> and
/// <c>\x</c> escapes, over bytes, with the quirks of Redis' <c>stringmatchlen</c> so that the same pattern selects
/// the same keys: an unclosed <c>[</c> class ends at the pattern's end, a range may be written backwards
/// (<c>[z-a]</c>), and range bounds compare as signed chars, as the C code does.
/// </summary>
/// <remarks>
/// <para>
/// Cost: when the part of the pattern after a <c>*</c> fails at every later position of the text, no earlier
/// <c>*</c> can do better by swallowing more, so only the latest <c>*</c> is ever backtracked to (the rule Redis'
/// recursive matcher calls <c>skipLongerMatches</c>, its fix for CVE-2022-36021's exponential blow-up). That bounds
/// the work by (pattern length + 1) × (text length + 1) steps, each step one pattern element compared with one byte
/// (a <c>[class]</c> costs its own length on top).
/// </para>
/// <para>
/// The matcher is a loop, not a recursion: Redis recurses once per <c>*</c> and caps the depth at 1000 so a long
/// pattern cannot overflow its stack (returning "no match" past it); a loop needs no cap and matches what the
/// recursion would have matched at any depth. Callers still bound the pattern's length
/// (<see cref="RespLimits.MaxPatternLength"/>), since the cost grows with it.
/// </para>
/// </remarks>
public static class GlobPattern
{
    /// <summary>Error text (after <c>-ERR </c>) for a pattern longer than <paramref name="maxLength"/>; null when it is acceptable.</summary>
    public static string? CheckLength(ReadOnlySpan<byte> pattern, int maxLength) =>
        pattern.Length <= maxLength ? null : $"ERR pattern is too long ({pattern.Length} bytes; max-pattern-len is {maxLength})";

    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase = false) =>
        IsMatch(pattern, text, ignoreCase, out _);

    /// <param name="steps">Pattern elements compared with a text byte (plus stars passed), for tests that bound the cost.</param>
    internal static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase, out long steps)
    {
        steps = 0;
        if (text.IsEmpty)
        {
            // stringmatchlen's loop never runs on an empty text, so even "*" does not match it.
            return pattern.IsEmpty;
        }
        int p = 0, t = 0;
        // Where matching resumes after the latest star: the pattern just past it, and the first text byte it has not
        // yet tried to swallow. -1 until a star is seen.
        int resumePattern = -1, resumeText = 0;
        while (true)
        {
            steps++;
            var matched = false;
            if (p < pattern.Length)
            {
                switch (pattern[p])
                {
                    case (byte)'*':
                        while (p + 1 < pattern.Length && pattern[p + 1] == (byte)'*')
                        {
                            p++;
                        }
                        if (p + 1 == pattern.Length)
                        {
                            return true;
                        }
                        resumePattern = ++p;
                        resumeText = t;
                        continue;
                    case (byte)'?':
                        matched = true;
                        break;
                    case (byte)'[':
                        matched = MatchClass(pattern, ref p, text[t], ignoreCase);
                        break;
                    default:
                        if (pattern[p] == (byte)'\\' && p + 1 < pattern.Length)
                        {
                            p++;
                        }
                        matched = Same(pattern[p], text[t], ignoreCase);
                        break;
                }
            }
            if (matched)
            {
                // pattern[p] is the last byte this step consumed (for a class, its closing bracket or last byte).
                p++;
                t++;
                if (t < text.Length)
                {
                    continue;
                }
                while (p < pattern.Length && pattern[p] == (byte)'*')
                {
                    p++;
                }
                if (p == pattern.Length)
                {
                    return true;
                }
                // The text ran out before the pattern: a miss like any other.
            }
            // A miss: let the latest star swallow one more byte. When it has swallowed the whole text, no star before
            // it can help either (see the remarks), so the pattern does not match.
            if (resumePattern < 0 || ++resumeText == text.Length)
            {
                return false;
            }
            p = resumePattern;
            t = resumeText;
        }
    }

    /// <summary>
    /// Matches one byte against the class starting at <paramref name="pattern"/>[<paramref name="p"/>] (the <c>[</c>);
    /// leaves <paramref name="p"/> at the class's last byte.
    /// </summary>
    private static bool MatchClass(ReadOnlySpan<byte> pattern, ref int p, byte c, bool ignoreCase)
    {
        p++;
        var negate = p < pattern.Length && pattern[p] == (byte)'^';
        if (negate)
        {
            p++;
        }
        var matched = false;
        while (true)
        {
            if (p >= pattern.Length)
            {
                // Unclosed class: Redis steps back one byte so that the caller's one-byte step lands on the end.
                p = pattern.Length - 1;
                break;
            }
            if (pattern[p] == (byte)'\\' && p + 1 < pattern.Length)
            {
                p++;
                matched |= pattern[p] == c;
            }
            else if (pattern[p] == (byte)']')
            {
                break;
            }
            else if (pattern.Length - p >= 3 && pattern[p + 1] == (byte)'-')
            {
                // Signed chars, as in C on x86: bytes above 127 sort below the ASCII range.
                int start = (sbyte)pattern[p], end = (sbyte)pattern[p + 2], value = (sbyte)c;
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
                p += 2;
                matched |= value >= start && value <= end;
            }
            else
            {
                matched |= Same(pattern[p], c, ignoreCase);
            }
            p++;
        }
        return negate ? !matched : matched;
    }

    private static bool Same(byte a, byte b, bool ignoreCase) => ignoreCase ? Lower(a) == Lower(b) : a == b;

    private static byte Lower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c;
}
