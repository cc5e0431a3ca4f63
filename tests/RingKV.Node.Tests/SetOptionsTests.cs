using System.Text;
using RingKV.Node.Commands;

namespace RingKV.Node.Tests;

public sealed class SetOptionsTests
{
    private const long Now = 1_000_000;

    private static string? Parse(string line, out SetOptions options) =>
        SetOptions.TryParse([.. line.Split(' ').Select(w => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(w))], 3, Now, out options);

    [Theory]
    [InlineData("SET k v EX 10", 10_000)]
    [InlineData("SET k v px 1500", 1_500)]
    [InlineData("SET k v EXAT 2000", 2_000_000 - Now)]
    [InlineData("SET k v PXAT 1000500", 500)]
    public void Expiry_IsAbsolute(string line, long expectedFromNow)
    {
        Assert.Null(Parse(line, out var options));
        Assert.Equal(Now + expectedFromNow, options.ExpiresAtMs);
    }

    [Fact]
    public void Flags_AreRecognisedCaseInsensitively()
    {
        Assert.Null(Parse("SET k v nx get", out var options));
        Assert.True(options.OnlyIfAbsent);
        Assert.True(options.ReturnOld);
        Assert.True(options.NeedsRead);
        Assert.Null(Parse("SET k v", out var plain));
        Assert.False(plain.NeedsRead);
    }

    [Theory]
    [InlineData("SET k v NX XX", "ERR syntax error")]
    [InlineData("SET k v EX 10 PX 10", "ERR syntax error")]
    [InlineData("SET k v EX", "ERR syntax error")]
    [InlineData("SET k v KEEPTTL EX 5", "ERR syntax error")]
    [InlineData("SET k v BOGUS", "ERR syntax error")]
    [InlineData("SET k v EX ten", "ERR value is not an integer or out of range")]
    [InlineData("SET k v EX 0", "ERR invalid expire time in 'set' command")]
    [InlineData("SET k v PX -5", "ERR invalid expire time in 'set' command")]
    [InlineData("SET k v EX +5", "ERR value is not an integer or out of range")]
    [InlineData("SET k v EX 05", "ERR value is not an integer or out of range")]
    [InlineData("SET k v EX ten BOGUS", "ERR syntax error")] // every option is parsed before the amount
    [InlineData("SET k v EX 9223372036854776", "ERR invalid expire time in 'set' command")]
    [InlineData("SET k v PX 9223372036854775807", "ERR invalid expire time in 'set' command")] // overflows with now
    [InlineData("SET k v EXAT 10 KEEPTTL", "ERR syntax error")]
    [InlineData("SET k v XX NX", "ERR syntax error")]
    public void InvalidOptions_GiveRedisErrors(string line, string error) =>
        Assert.Equal(error, Parse(line, out _));

    [Theory]
    [InlineData("SET k v EX 10 EX 20", 20_000)] // Redis accepts a repeated option; the last amount wins
    [InlineData("SET k v PXAT 5 PXAT 7", 7 - Now)]
    [InlineData("SET k v PX 9223372036853775807", long.MaxValue - Now)]
    public void RepeatedOrExtremeExpiry_IsAccepted(string line, long expectedFromNow)
    {
        Assert.Null(Parse(line, out var options));
        Assert.Equal(Now + expectedFromNow, options.ExpiresAtMs);
    }
}
