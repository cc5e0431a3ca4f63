using System.Text;
using RingKV.Protocol.Commands;

namespace RingKV.Protocol.Tests;

/// <summary>Redis' glob dialect, including the corners of its stringmatchlen.</summary>
public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("*", "", false)] // as stringmatchlen; KEYS and SCAN treat a lone "*" as "everything" before matching
    [InlineData("*", "anything", true)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h[b-a]llo", "hbllo", true)] // ranges may be written backwards
    [InlineData("h\\*llo", "h*llo", true)]
    [InlineData("h\\*llo", "hello", false)]
    [InlineData("user:*:name", "user:42:name", true)]
    [InlineData("user:*:name", "user:42:email", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXbY", false)]
    [InlineData("[abc", "a", true)] // an unclosed class ends at the pattern's end
    [InlineData("[a-", "a", true)]
    [InlineData("ab*", "ab", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    public void IsMatch_AsRedis(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, GlobPattern.IsMatch(Encoding.ASCII.GetBytes(pattern), Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void IsMatch_IgnoreCase_ForConfigNames()
    {
        Assert.True(GlobPattern.IsMatch("MAX*"u8, "maxclients"u8, ignoreCase: true));
        Assert.False(GlobPattern.IsMatch("MAX*"u8, "maxclients"u8));
    }

    [Fact]
    public void IsMatch_Cve2022_36021Pattern_StepsLinearInPatternAndText()
    {
        // Redis' reproducer, KEYS "a*a*…*b" over keys of a's. Trying every split for every star costs C(40, 8), about
        // 7.7e7 steps here; backtracking only to the latest star costs about one step per byte of either.
        var pattern = Bytes(string.Concat(Enumerable.Repeat("a*", 8)) + "b");
        var text = Bytes(new string('a', 40));

        Assert.False(GlobPattern.IsMatch(pattern, text, ignoreCase: false, out var steps));
        Assert.True(steps <= pattern.Length + text.Length, $"{steps} steps for a {pattern.Length}-byte pattern and a {text.Length}-byte key");
    }

    [Fact]
    public void IsMatch_Cve2022_36021PatternAtScale_StepsLinearInPatternAndText()
    {
        var pattern = Bytes(string.Concat(Enumerable.Repeat("a*", 1000)) + "b");
        var text = Bytes(new string('a', 100_000));

        Assert.False(GlobPattern.IsMatch(pattern, text, ignoreCase: false, out var steps));
        Assert.True(steps <= pattern.Length + text.Length, $"{steps} steps for a {pattern.Length}-byte pattern and a {text.Length}-byte key");
    }

    [Fact]
    public void IsMatch_MillionStarPattern_NoStackOverflowAndLinearSteps()
    {
        // One recursion level per star would need a million stack frames; Redis caps its recursion at 1000 levels and
        // answers "no match" past it, a loop needs no cap and still gives the right answer.
        var stars = string.Concat(Enumerable.Repeat("a*", 1_000_000));
        var text = Bytes(new string('a', 1_000_000));

        Assert.True(GlobPattern.IsMatch(Bytes(stars), text, ignoreCase: false, out var matchSteps));
        Assert.False(GlobPattern.IsMatch(Bytes(stars + "b"), text, ignoreCase: false, out var missSteps));
        Assert.True(matchSteps <= 2 * stars.Length + text.Length, $"{matchSteps} steps to match");
        Assert.True(missSteps <= 2 * stars.Length + text.Length, $"{missSteps} steps to miss");
    }

    [Fact]
    public void IsMatch_RandomPatterns_SameAsRecursiveStringmatchlenWithinPatternTimesTextSteps()
    {
        // Patterns and keys from a small alphabet so that stars, classes, ranges, escapes and their unclosed and
        // backwards corners all meet matching and non-matching text, bytes above 127 (signed in C) included.
        var random = new Random(36021);
        byte[] patternBytes = [.. "ab*?[]^-\\"u8, 0xE9], textBytes = [.. "abAB-]^\\"u8, 0xE9];
        var mismatches = new List<string>();
        var matched = 0;
        for (var i = 0; i < 50_000; i++)
        {
            var pattern = RandomBytes(random, patternBytes, random.Next(0, 12));
            // Half the texts are built from their pattern, so that matches are common too.
            var text = i % 4 < 2 ? Instantiate(random, pattern, textBytes) : RandomBytes(random, textBytes, random.Next(0, 14));
            var ignoreCase = i % 2 == 1;
            var expected = RecursiveGlob.IsMatch(pattern, text, ignoreCase);
            var actual = GlobPattern.IsMatch(pattern, text, ignoreCase, out var steps);
            matched += actual ? 1 : 0;
            if (actual != expected || steps > (pattern.Length + 1L) * (text.Length + 1))
            {
                mismatches.Add($"'{Encoding.Latin1.GetString(pattern)}' vs '{Encoding.Latin1.GetString(text)}' nocase={ignoreCase}: {actual} in {steps} steps, stringmatchlen says {expected}");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches.Take(20)));
        // The comparison means something only if both answers occur often.
        Assert.InRange(matched, 5_000, 45_000);
    }

    [Fact]
    public void CheckLength_OverLimit_NamesLimitAndLength()
    {
        Assert.Null(GlobPattern.CheckLength("a*b"u8, 3));
        Assert.Equal("ERR pattern is too long (4 bytes; max-pattern-len is 3)", GlobPattern.CheckLength("a**b"u8, 3));
    }

    private static byte[] Bytes(string ascii) => Encoding.ASCII.GetBytes(ascii);

    /// <summary>A text the pattern would often match: stars become a few random bytes, other elements one byte.</summary>
    private static byte[] Instantiate(Random random, byte[] pattern, byte[] alphabet)
    {
        var text = new List<byte>();
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case (byte)'*':
                    text.AddRange(RandomBytes(random, alphabet, random.Next(0, 4)));
                    break;
                case (byte)'?' or (byte)'[':
                    text.Add(alphabet[random.Next(alphabet.Length)]);
                    break;
                case (byte)'\\' when i + 1 < pattern.Length:
                    text.Add(pattern[++i]);
                    break;
                default:
                    text.Add(pattern[i]);
                    break;
            }
        }
        return [.. text];
    }

    private static byte[] RandomBytes(Random random, byte[] alphabet, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])];
}
