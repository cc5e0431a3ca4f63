using RingKV.Node.Replication;

namespace RingKV.Node.Tests;

/// <summary>SET's expiry options at the primary (EX, PX, EXAT, PXAT, KEEPTTL), seen through the TTL commands.</summary>
public sealed class SetExpiryTests : IAsyncDisposable
{
    private const long StartSeconds = OneNode.StartMs / 1000;
    private readonly OneNode _node = new();

    [Fact]
    public async Task Exat_ExpiresAtThatSecond()
    {
        Assert.Equal(KeyReplyKind.Ok, (await _node.Run("SET", "k", "v", "EXAT", (StartSeconds + 5).ToString())).Kind);
        Assert.Equal(StartSeconds + 5, await _node.Integer("EXPIRETIME", "k"));
        _node.Time.AdvanceMs(4_999);
        Assert.Equal("v", await _node.Value("GET", "k"));
        _node.Time.AdvanceMs(1);
        Assert.Null(await _node.Value("GET", "k"));
    }

    [Fact]
    public async Task Pxat_ExpiresAtThatMillisecond()
    {
        await _node.Run("SET", "k", "v", "PXAT", (OneNode.StartMs + 1_234).ToString());
        Assert.Equal(OneNode.StartMs + 1_234, await _node.Integer("PEXPIRETIME", "k"));
        Assert.Equal(1_234, await _node.Integer("PTTL", "k"));
        _node.Time.AdvanceMs(1_234);
        Assert.Equal(-2, await _node.Integer("PTTL", "k"));
    }

    [Theory]
    [InlineData("PXAT", "1")]
    [InlineData("EXAT", "1700000000")] // exactly now
    public async Task AbsoluteTimeNotInTheFuture_IsAccepted_AndTheKeyIsGoneAtOnce(string option, string amount)
    {
        await _node.Run("SET", "k", "old");
        Assert.Equal(KeyReplyKind.Ok, (await _node.Run("SET", "k", "v", option, amount)).Kind);
        Assert.Null(await _node.Value("GET", "k"));
        Assert.Equal(-2, await _node.Integer("TTL", "k"));
    }

    [Fact]
    public async Task KeepTtl_KeepsTheExactExpiry()
    {
        await _node.Run("SET", "k", "v", "PX", "10000");
        _node.Time.AdvanceMs(2_500);
        await _node.Run("SET", "k", "w", "KEEPTTL");
        Assert.Equal(7_500, await _node.Integer("PTTL", "k"));
        Assert.Equal("w", await _node.Value("GET", "k"));
    }

    [Fact]
    public async Task KeepTtl_OnAKeyWithoutExpiry_OrAMissingKey_SetsNone()
    {
        await _node.Run("SET", "k", "v");
        await _node.Run("SET", "k", "w", "KEEPTTL");
        Assert.Equal(-1, await _node.Integer("TTL", "k"));
        await _node.Run("SET", "fresh", "v", "KEEPTTL");
        Assert.Equal(-1, await _node.Integer("TTL", "fresh"));
    }

    [Fact]
    public async Task KeepTtl_AfterExpiry_DoesNotResurrectTheOldExpiry()
    {
        await _node.Run("SET", "k", "v", "PX", "10");
        _node.Time.AdvanceMs(10);
        await _node.Run("SET", "k", "w", "KEEPTTL");
        Assert.Equal(-1, await _node.Integer("TTL", "k"));
        Assert.Equal("w", await _node.Value("GET", "k"));
    }

    [Fact]
    public async Task KeepTtl_WithGetAndXx_ReturnsTheOldValue()
    {
        await _node.Run("SET", "k", "v", "EX", "10");
        Assert.Equal("v", await _node.Value("SET", "k", "w", "XX", "GET", "KEEPTTL"));
        Assert.Equal(10, await _node.Integer("TTL", "k"));
    }

    [Fact]
    public async Task RepeatedExpiryOption_LastAmountWins()
    {
        await _node.Run("SET", "k", "v", "EX", "10", "EX", "20");
        Assert.Equal(20, await _node.Integer("TTL", "k"));
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
