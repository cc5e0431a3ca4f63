namespace RingKV.Node.Tests;

/// <summary>GETDEL and GETEX with every option, Redis 7 semantics: what they answer and what they leave stored.</summary>
public sealed class GetExGetDelTests : IAsyncDisposable
{
    private const long StartSeconds = OneNode.StartMs / 1000;
    private readonly OneNode _node = new();

    [Fact]
    public async Task GetDel_ReturnsTheValue_AndLeavesATombstone()
    {
        await _node.Run("SET", "k", "v", "EX", "10");
        Assert.Equal("v", await _node.Value("GETDEL", "k"));
        Assert.True(_node.Stored("k")!.IsTombstone);
        Assert.Null(await _node.Value("GET", "k"));
        Assert.Null(await _node.Value("GETDEL", "k"));
    }

    [Fact]
    public async Task GetDel_MissingKey_IsNil_AndWritesNothing()
    {
        Assert.Null(await _node.Value("GETDEL", "k"));
        Assert.Null(_node.Stored("k"));
    }

    [Fact]
    public async Task GetDel_ExpiredKey_IsNil()
    {
        await _node.Run("SET", "k", "v", "PX", "5");
        _node.Time.AdvanceMs(5);
        Assert.Null(await _node.Value("GETDEL", "k"));
    }

    [Fact]
    public async Task SetAfterGetDel_WinsOverTheTombstone()
    {
        await _node.Run("SET", "k", "v");
        await _node.Run("GETDEL", "k");
        await _node.Run("SET", "k", "back");
        Assert.Equal("back", await _node.Value("GET", "k"));
    }

    [Fact]
    public async Task GetEx_WithoutOptions_IsAPlainRead()
    {
        Assert.Null(await _node.Value("GETEX", "k"));
        await _node.Run("SET", "k", "v", "EX", "10");
        var before = _node.Stored("k");
        Assert.Equal("v", await _node.Value("GETEX", "k"));
        Assert.Same(before, _node.Stored("k"));
        Assert.Equal(10, await _node.Integer("TTL", "k"));
    }

    [Theory]
    [InlineData("EX", "10", 10_000)]
    [InlineData("px", "1500", 1_500)]
    [InlineData("EXAT", "1700000020", 20_000)]
    [InlineData("PXAT", "1700000000250", 250)]
    public async Task GetEx_SetsTheExpiry_AndReturnsTheValue(string option, string amount, long pttl)
    {
        await _node.Run("SET", "k", "v");
        var before = _node.Stored("k")!;
        Assert.Equal("v", await _node.Value("GETEX", "k", option, amount));
        Assert.Equal(pttl, await _node.Integer("PTTL", "k"));
        var after = _node.Stored("k")!;
        Assert.True(after.Version > before.Version);
        Assert.Equal("v"u8.ToArray(), after.Value);
    }

    [Fact]
    public async Task GetEx_Expiry_HidesTheKeyAtTheExactMoment()
    {
        await _node.Run("SET", "k", "v");
        await _node.Run("GETEX", "k", "PX", "100");
        _node.Time.AdvanceMs(99);
        Assert.Equal("v", await _node.Value("GET", "k"));
        _node.Time.AdvanceMs(1);
        Assert.Null(await _node.Value("GETEX", "k"));
        Assert.Null(await _node.Value("GETEX", "k", "PERSIST"));
    }

    [Fact]
    public async Task GetEx_Persist_RemovesTheExpiry()
    {
        await _node.Run("SET", "k", "v", "EX", "10");
        Assert.Equal("v", await _node.Value("GETEX", "k", "PERSIST"));
        Assert.Equal(-1, await _node.Integer("TTL", "k"));
        _node.Time.AdvanceMs(60_000);
        Assert.Equal("v", await _node.Value("GET", "k"));
    }

    [Fact]
    public async Task GetEx_Persist_WithoutExpiry_WritesNothing()
    {
        await _node.Run("SET", "k", "v");
        var before = _node.Stored("k");
        Assert.Equal("v", await _node.Value("GETEX", "k", "persist"));
        Assert.Same(before, _node.Stored("k"));
    }

    [Theory]
    [InlineData("PXAT", "1700000000000")] // exactly now
    [InlineData("PXAT", "1")]
    [InlineData("EXAT", "1699999999")]
    public async Task GetEx_AbsoluteTimeNotInTheFuture_ReturnsTheValue_AndDeletesTheKey(string option, string amount)
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal("v", await _node.Value("GETEX", "k", option, amount));
        Assert.True(_node.Stored("k")!.IsTombstone);
        Assert.Null(await _node.Value("GET", "k"));
    }

    [Theory]
    [InlineData("EX", "10", "EX", "20", 20)]
    [InlineData("ex", "10", "EX", "30", 30)]
    public async Task GetEx_RepeatedOption_LastAmountWins(string first, string a, string second, string b, long ttl)
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal("v", await _node.Value("GETEX", "k", first, a, second, b));
        Assert.Equal(ttl, await _node.Integer("TTL", "k"));
    }

    [Theory]
    [InlineData("EX")]
    [InlineData("EX", "10", "PX", "10")]
    [InlineData("EX", "10", "PERSIST")]
    [InlineData("PERSIST", "EX", "10")]
    [InlineData("KEEPTTL")]
    [InlineData("NX")]
    [InlineData("GET")]
    [InlineData("BOGUS")]
    [InlineData("EX", "abc", "BOGUS")] // the syntax is checked before the amount
    public async Task GetEx_BadSyntax_IsASyntaxError_EvenForAMissingKey(params string[] options) =>
        Assert.Equal("ERR syntax error", await _node.Error(["GETEX", "missing", .. options]));

    [Theory]
    [InlineData("EX", "abc", "ERR value is not an integer or out of range")]
    [InlineData("PX", "1.5", "ERR value is not an integer or out of range")]
    [InlineData("EX", "0", "ERR invalid expire time in 'getex' command")]
    [InlineData("PXAT", "-1", "ERR invalid expire time in 'getex' command")]
    [InlineData("EX", "9223372036854776", "ERR invalid expire time in 'getex' command")]
    [InlineData("PX", "9223372036854775807", "ERR invalid expire time in 'getex' command")]
    public async Task GetEx_BadAmount_IsAnErrorForALiveKey_AndNilForAMissingOne(string option, string amount, string error)
    {
        Assert.Null(await _node.Value("GETEX", "k", option, amount));
        await _node.Run("SET", "k", "v", "EX", "10");
        var before = _node.Stored("k");
        Assert.Equal(error, await _node.Error("GETEX", "k", option, amount));
        Assert.Same(before, _node.Stored("k"));
    }

    [Fact]
    public async Task GetEx_ThenExpireTime_ShowsTheAbsoluteTime()
    {
        await _node.Run("SET", "k", "v");
        await _node.Run("GETEX", "k", "EXAT", (StartSeconds + 100).ToString());
        Assert.Equal(StartSeconds + 100, await _node.Integer("EXPIRETIME", "k"));
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
