using System.Text;
using RingKV.Node.Commands;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Tests;

/// <summary>
/// EXPIRE's NX, XX, GT and LT conditions (a key without expiry counts as an infinite TTL) and the errors of the
/// EXPIRE family, word for word as Redis 7 gives them and in Redis' order.
/// </summary>
public sealed class ExpireOptionsTests : IAsyncDisposable
{
    private const long Now = 1_000_000;
    private readonly OneNode _node = new();

    private static string? Parse(string line, out ExpireOptions options)
    {
        var args = line.Split(' ').Select(w => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(w)).ToArray();
        return ExpireOptions.TryParse(CommandTable.Lookup(args[0].Span), args, Now, out options);
    }

    [Theory]
    [InlineData("EXPIRE k 10", Now + 10_000)]
    [InlineData("PEXPIRE k 10", Now + 10)]
    [InlineData("EXPIREAT k 2000", 2_000_000)]
    [InlineData("PEXPIREAT k 2000", 2_000)]
    [InlineData("EXPIRE k -3", Now - 3_000)]
    [InlineData("PEXPIREAT k 9223372036854775807", long.MaxValue)]
    [InlineData("EXPIREAT k 9223372036854775", 9_223_372_036_854_775_000)]
    public void Amount_BecomesAnAbsoluteTime(string line, long expected)
    {
        Assert.Null(Parse(line, out var options));
        Assert.Equal(expected, options.ExpiresAtMs);
    }

    [Theory]
    [InlineData("EXPIRE k 10 NX XX", "ERR NX and XX, GT or LT options at the same time are not compatible")]
    [InlineData("EXPIRE k 10 gt nx", "ERR NX and XX, GT or LT options at the same time are not compatible")]
    [InlineData("PEXPIRE k 10 NX LT", "ERR NX and XX, GT or LT options at the same time are not compatible")]
    [InlineData("EXPIREAT k 10 GT LT", "ERR GT and LT options at the same time are not compatible")]
    [InlineData("EXPIRE k 10 XX GT LT", "ERR GT and LT options at the same time are not compatible")]
    [InlineData("EXPIRE k 10 Bogus", "ERR Unsupported option Bogus")]
    [InlineData("EXPIRE k 10 NX 5", "ERR Unsupported option 5")]
    [InlineData("EXPIRE k ten BOGUS", "ERR Unsupported option BOGUS")] // options are checked before the amount
    [InlineData("EXPIRE k ten NX XX", "ERR NX and XX, GT or LT options at the same time are not compatible")]
    [InlineData("EXPIRE k ten", "ERR value is not an integer or out of range")]
    [InlineData("EXPIRE k 1.5", "ERR value is not an integer or out of range")]
    [InlineData("EXPIRE k +10", "ERR value is not an integer or out of range")]
    [InlineData("EXPIRE k 010", "ERR value is not an integer or out of range")]
    [InlineData("EXPIRE k -0", "ERR value is not an integer or out of range")]
    [InlineData("PEXPIRE k 9223372036854775808", "ERR value is not an integer or out of range")]
    [InlineData("EXPIRE k 9223372036854776", "ERR invalid expire time in 'expire' command")]
    [InlineData("EXPIRE k -9223372036854776", "ERR invalid expire time in 'expire' command")]
    [InlineData("EXPIREAT k 9223372036854776", "ERR invalid expire time in 'expireat' command")]
    [InlineData("PEXPIRE k 9223372036854775807", "ERR invalid expire time in 'pexpire' command")]
    [InlineData("pexpire k 9223372036853775808", "ERR invalid expire time in 'pexpire' command")] // MaxValue - Now + 1
    public void InvalidArguments_GiveRedisErrors(string line, string error) => Assert.Equal(error, Parse(line, out _));

    [Theory]
    [InlineData("EXPIRE k 10 NX NX")] // Redis accepts a repeated flag
    [InlineData("EXPIRE k 10 xx gt")]
    [InlineData("EXPIRE k 10 XX LT")]
    [InlineData("pexpire k 9223372036853775807")] // exactly MaxValue once now is added
    public void CompatibleOptions_Parse(string line) => Assert.Null(Parse(line, out _));

    [Fact]
    public async Task Nx_SetsOnlyWhenThereIsNoExpiry()
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(1, await _node.Integer("EXPIRE", "k", "100", "NX"));
        Assert.Equal(0, await _node.Integer("EXPIRE", "k", "50", "NX"));
        Assert.Equal(100, await _node.Integer("TTL", "k"));
    }

    [Fact]
    public async Task Xx_SetsOnlyWhenThereIsAnExpiry()
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(0, await _node.Integer("EXPIRE", "k", "100", "XX"));
        Assert.Equal(-1, await _node.Integer("TTL", "k"));
        await _node.Run("EXPIRE", "k", "100");
        Assert.Equal(1, await _node.Integer("EXPIRE", "k", "50", "XX"));
        Assert.Equal(50, await _node.Integer("TTL", "k"));
    }

    [Fact]
    public async Task Gt_NeverAppliesToAKeyWithoutExpiry()
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(0, await _node.Integer("EXPIRE", "k", "100", "GT"));
        Assert.Equal(-1, await _node.Integer("TTL", "k"));
    }

    [Theory]
    [InlineData("200", 1, 200)]
    [InlineData("100", 0, 100)] // equal is not greater
    [InlineData("50", 0, 100)]
    public async Task Gt_SetsOnlyALongerExpiry(string seconds, long reply, long ttl)
    {
        await _node.Run("SET", "k", "v", "EX", "100");
        Assert.Equal(reply, await _node.Integer("EXPIRE", "k", seconds, "GT"));
        Assert.Equal(ttl, await _node.Integer("TTL", "k"));
    }

    [Fact]
    public async Task Lt_AlwaysAppliesToAKeyWithoutExpiry()
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(1, await _node.Integer("EXPIRE", "k", "100", "LT"));
        Assert.Equal(100, await _node.Integer("TTL", "k"));
    }

    [Theory]
    [InlineData("50", 1, 50)]
    [InlineData("100", 0, 100)] // equal is not less
    [InlineData("200", 0, 100)]
    public async Task Lt_SetsOnlyAShorterExpiry(string seconds, long reply, long ttl)
    {
        await _node.Run("SET", "k", "v", "EX", "100");
        Assert.Equal(reply, await _node.Integer("EXPIRE", "k", seconds, "LT"));
        Assert.Equal(ttl, await _node.Integer("TTL", "k"));
    }

    [Fact]
    public async Task XxGt_NeedsAnExpiry_AndALongerOne()
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(0, await _node.Integer("EXPIRE", "k", "100", "XX", "GT"));
        await _node.Run("EXPIRE", "k", "100");
        Assert.Equal(0, await _node.Integer("EXPIRE", "k", "50", "XX", "GT"));
        Assert.Equal(1, await _node.Integer("EXPIRE", "k", "150", "XX", "GT"));
        Assert.Equal(150, await _node.Integer("TTL", "k"));
    }

    [Theory]
    [InlineData("NX")] // no expiry yet
    [InlineData("LT")] // infinite TTL is longer than any past time
    public async Task PastTime_DeletesWhenTheConditionHolds(string condition)
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(1, await _node.Integer("EXPIRE", "k", "-1", condition));
        Assert.Equal(-2, await _node.Integer("TTL", "k"));
        Assert.True(_node.Stored("k")!.IsTombstone);
    }

    [Theory]
    [InlineData("GT", "SET k v EX 100")]
    [InlineData("XX", "SET k v")]
    [InlineData("NX", "SET k v EX 100")]
    public async Task PastTime_KeepsTheKeyWhenTheConditionFails(string condition, string setup)
    {
        await _node.Run(setup.Split(' '));
        Assert.Equal(0, await _node.Integer("EXPIRE", "k", "-1", condition));
        Assert.Equal("v", await _node.Value("GET", "k"));
    }

    [Theory]
    [InlineData("NX")]
    [InlineData("LT")]
    public async Task Conditions_OnAMissingKey_AnswerZero(string condition) =>
        Assert.Equal(0, await _node.Integer("EXPIRE", "missing", "10", condition));

    [Fact]
    public async Task ErrorsAtThePrimary_LeaveTheKeyUntouched()
    {
        await _node.Run("SET", "k", "v", "EX", "100");
        var before = _node.Stored("k");
        Assert.Equal("ERR GT and LT options at the same time are not compatible", await _node.Error("EXPIRE", "k", "1", "GT", "LT"));
        Assert.Equal("ERR value is not an integer or out of range", await _node.Error("PEXPIRE", "k", "soon"));
        Assert.Same(before, _node.Stored("k"));
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
