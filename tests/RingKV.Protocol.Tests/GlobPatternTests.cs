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
    public void IsMatch_ManyStarsAgainstALongMiss_StopsEarly()
    {
        // Without Redis' skip-longer-matches rule this pattern explores exponentially many splits.
        var pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a*", 30)) + "b");
        var text = Encoding.ASCII.GetBytes(new string('a', 200));
        Assert.False(GlobPattern.IsMatch(pattern, text));
    }
}
