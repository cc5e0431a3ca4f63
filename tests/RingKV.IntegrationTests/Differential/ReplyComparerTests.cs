using System.Text;

namespace RingKV.IntegrationTests.Differential;

/// <summary>Frames parse whole or not at all, and each comparison mode accepts exactly what it documents.</summary>
public sealed class ReplyComparerTests
{
    private static RespFrame Frame(string wire)
    {
        var bytes = Encoding.Latin1.GetBytes(wire);
        var frame = RespFrame.TryParse(bytes, out var consumed);
        Assert.NotNull(frame);
        Assert.Equal(bytes.Length, consumed);
        return frame;
    }

    [Theory]
    [InlineData("+OK\r\n")]
    [InlineData("-ERR no such key\r\n")]
    [InlineData(":-42\r\n")]
    [InlineData("$-1\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("$0\r\n\r\n")]
    [InlineData("$5\r\na\r\n\0b\r\n")]
    [InlineData("*2\r\n$1\r\n0\r\n*3\r\n$1\r\na\r\n$-1\r\n*0\r\n")]
    public void TryParse_EveryPrefix_IsIncompleteAndTheWholeFrameParses(string wire)
    {
        var bytes = Encoding.Latin1.GetBytes(wire);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Null(RespFrame.TryParse(bytes.AsSpan(0, length), out _));
        }
        Assert.Equal(bytes, Frame(wire).Raw);
    }

    [Theory]
    [InlineData("_\r\n")]
    [InlineData(":12a\r\n")]
    [InlineData("$3\r\nabcd\r\n")]
    public void TryParse_NotResp2_Throws(string wire)
    {
        Assert.Throws<FormatException>(() => RespFrame.TryParse(Encoding.Latin1.GetBytes(wire), out _));
    }

    [Theory]
    [InlineData(":100\r\n", ":101\r\n", 1, true)]
    [InlineData(":100\r\n", ":102\r\n", 1, false)]
    [InlineData(":-1\r\n", ":-1\r\n", 1, true)]
    [InlineData(":-1\r\n", ":-2\r\n", 1, false)]
    [InlineData(":0\r\n", ":-1\r\n", 1, false)]
    [InlineData("-ERR a\r\n", "-ERR b\r\n", 1, false)]
    [InlineData(":5000\r\n", ":3600\r\n", 1500, true)]
    public void WithinTolerance_ComparesNonNegativeIntegersLoosely(string reference, string subject, long tolerance, bool agree)
    {
        Assert.Equal(agree, ReplyComparer.Agree(ComparisonMode.TolerantTime, Frame(reference), Frame(subject), tolerance));
    }

    [Theory]
    [InlineData("*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\na\r\n", true)]
    [InlineData("*2\r\n$1\r\na\r\n$1\r\na\r\n", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", false)]
    [InlineData("*1\r\n$1\r\na\r\n", "*2\r\n$1\r\na\r\n$1\r\na\r\n", false)]
    [InlineData("*0\r\n", "-ERR x\r\n", false)]
    public void Unordered_ComparesArraysAsMultisets(string reference, string subject, bool agree)
    {
        Assert.Equal(agree, ReplyComparer.Agree(ComparisonMode.Unordered, Frame(reference), Frame(subject)));
    }

    [Fact]
    public void Policy_ChoosesTheDocumentedModes()
    {
        Assert.Equal(ComparisonMode.Unordered, ComparisonPolicy.ModeFor(RedisCommand.Of("keys", "*")));
        Assert.Equal(ComparisonMode.TolerantTime, ComparisonPolicy.ModeFor(RedisCommand.Of("PTTL", "k")));
        Assert.Equal(ComparisonMode.Scan, ComparisonPolicy.ModeFor(RedisCommand.Of("SCAN", "0")));
        Assert.Equal(ComparisonMode.Shape, ComparisonPolicy.ModeFor(RedisCommand.Of("RANDOMKEY")));
        Assert.Equal(ComparisonMode.Exact, ComparisonPolicy.ModeFor(RedisCommand.Of("GET", "k")));
        Assert.Equal(2000, ComparisonPolicy.ToleranceFor(RedisCommand.Of("PEXPIRETIME", "k")));
    }
}
