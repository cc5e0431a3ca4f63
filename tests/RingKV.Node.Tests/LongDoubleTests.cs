using System.Text;
using RingKV.Node.Commands;

namespace RingKV.Node.Tests;

/// <summary>INCRBYFLOAT arithmetic against replies recorded from redis-server 7.0 on x86-64 (80-bit long double).</summary>
public sealed class LongDoubleTests
{
    [Theory]
    [InlineData("10.5", "0.1", "10.6")]
    [InlineData("0.1", "0.2", "0.3")]
    [InlineData("3.0e3", "1", "3001")]
    [InlineData("12345678901234567.89", "0", "12345678901234567.8896484375")] // 64-bit significand, not decimal
    [InlineData("1e20", "0.1", "100000000000000000000")] // 0.1 is below the last bit of 1e20
    [InlineData("-5", "5", "0")]
    [InlineData("-0.0", "0", "0")]
    [InlineData("5.0e3", "2.0e2", "5200")]
    [InlineData("1", "-1.5", "-0.5")]
    [InlineData("0x10", "0x1p-2", "16.25")]
    [InlineData("1.5", "1e-20", "1.5")]
    [InlineData("-1e-20", "0", "0")] // "-0.00000000000000000" trimmed to "-0", written "0"
    [InlineData("9223372036854775807", "1", "9223372036854775808")]
    [InlineData("0.3333333333333333333333", "0", "0.33333333333333333")]
    [InlineData("17", ".5", "17.5")]
    [InlineData("1.", "2", "3")]
    [InlineData("2.5e-3", "0", "0.0025")]
    [InlineData("1", "+1", "2")]
    [InlineData("1", "1.5e+2", "151")]
    [InlineData("4.9e-4951", "0", "0")] // a subnormal parses, and prints as 0
    public void Add_PrintsAsRedis(string current, string increment, string expected)
    {
        Assert.Equal(expected, Sum(current, increment));
    }

    [Theory]
    [InlineData("1e308", "1e308", 309, "1999999999999999999933717593116912913211", "7857156096")]
    [InlineData("1e4000", "1", 4000, "9999999999999999999965463873099623784932", "9901340672")]
    public void Add_HugeValues_PrintEveryDigitOfTheBinaryValue(string current, string increment, int length, string prefix, string suffix)
    {
        var text = Sum(current, increment);
        Assert.Equal(length, text.Length);
        Assert.StartsWith(prefix, text);
        Assert.EndsWith(suffix, text);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1e")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("nan")]
    [InlineData("")]
    [InlineData("1e-4960")] // underflows to zero: strtold reports ERANGE
    [InlineData("1e5000")] // overflows
    [InlineData("0x")]
    [InlineData(".")]
    public void TryParse_RejectsWhatRedisRejects(string text)
    {
        Assert.False(LongDouble.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("inf")]
    [InlineData("-inf")]
    [InlineData("INFINITY")]
    public void Infinity_ParsesButEveryAdditionOverflows(string text)
    {
        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes(text), out var value));
        Assert.True(value.Add(Parse("1")).IsInfinity);
    }

    [Fact]
    public void Add_BeyondTheLargestValue_IsInfinity()
    {
        var sum = Parse("1.18e4932").Add(Parse("1.18e4932"));
        Assert.True(sum.IsInfinity);
    }

    private static string Sum(string current, string increment) => Parse(current).Add(Parse(increment)).ToRedisString();

    private static LongDouble Parse(string text)
    {
        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes(text), out var value), $"'{text}' must parse");
        return value;
    }
}
