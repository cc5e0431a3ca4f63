namespace RingKV.Node.Tests;

/// <summary>
/// EXPIRE and friends without conditions, PERSIST, and the TTL queries, as a Redis 7 user sees them: replies,
/// the exact moment a key expires, and what is written to the store.
/// </summary>
public sealed class ExpiryCommandTests : IAsyncDisposable
{
    private const long StartSeconds = OneNode.StartMs / 1000;
    private readonly OneNode _node = new();

    [Theory]
    [InlineData("TTL")]
    [InlineData("PTTL")]
    [InlineData("EXPIRETIME")]
    [InlineData("PEXPIRETIME")]
    public async Task TimeQueries_MissingKey_AnswerMinusTwo(string command) =>
        Assert.Equal(-2, await _node.Integer(command, "missing"));

    [Theory]
    [InlineData("TTL")]
    [InlineData("PTTL")]
    [InlineData("EXPIRETIME")]
    [InlineData("PEXPIRETIME")]
    public async Task TimeQueries_KeyWithoutExpiry_AnswerMinusOne(string command)
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(-1, await _node.Integer(command, "k"));
    }

    [Theory]
    [InlineData("TTL")]
    [InlineData("PEXPIRETIME")]
    public async Task TimeQueries_DeletedKey_AnswerMinusTwo(string command)
    {
        await _node.Run("SET", "k", "v", "EX", "10");
        await _node.Run("DEL", "k");
        Assert.Equal(-2, await _node.Integer(command, "k"));
    }

    [Fact]
    public async Task Expire_SetsRemainingTime_AndTheKeyVanishesAtTheExactMoment()
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(1, await _node.Integer("EXPIRE", "k", "10"));
        Assert.Equal(10, await _node.Integer("TTL", "k"));
        Assert.Equal(10_000, await _node.Integer("PTTL", "k"));
        Assert.Equal(StartSeconds + 10, await _node.Integer("EXPIRETIME", "k"));
        Assert.Equal(OneNode.StartMs + 10_000, await _node.Integer("PEXPIRETIME", "k"));

        _node.Time.AdvanceMs(9_999);
        Assert.Equal("v", await _node.Value("GET", "k"));
        Assert.Equal(1, await _node.Integer("PTTL", "k"));
        Assert.Equal(0, await _node.Integer("TTL", "k"));

        _node.Time.AdvanceMs(1); // now == ExpiresAtMs: already gone, as in Redis
        Assert.Null(await _node.Value("GET", "k"));
        Assert.Equal(-2, await _node.Integer("TTL", "k"));
        Assert.Equal(-2, await _node.Integer("PEXPIRETIME", "k"));
        Assert.Equal(0, await _node.Integer("EXISTS", "k"));
    }

    [Theory]
    [InlineData("PEXPIRE", 10_499, 10)]
    [InlineData("PEXPIRE", 10_500, 11)]
    [InlineData("PEXPIRE", 400, 0)]
    [InlineData("PEXPIRE", 1_499, 1)]
    public async Task Ttl_RoundsToTheNearestSecondLikeRedis(string command, long ms, long ttl)
    {
        await _node.Run("SET", "k", "v");
        await _node.Run(command, "k", ms.ToString());
        Assert.Equal(ms, await _node.Integer("PTTL", "k"));
        Assert.Equal(ttl, await _node.Integer("TTL", "k"));
    }

    [Fact]
    public async Task ExpireTime_IsAbsolute_AndRoundsSecondsLikeRedis()
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(1, await _node.Integer("PEXPIREAT", "k", (OneNode.StartMs + 10_600).ToString()));
        _node.Time.AdvanceMs(3_000); // absolute answers do not move with the clock
        Assert.Equal(OneNode.StartMs + 10_600, await _node.Integer("PEXPIRETIME", "k"));
        Assert.Equal(StartSeconds + 11, await _node.Integer("EXPIRETIME", "k"));
        Assert.Equal(7_600, await _node.Integer("PTTL", "k"));
    }

    [Theory]
    [InlineData("PEXPIRE", "5000", 5_000)]
    [InlineData("EXPIREAT", "1700000030", 30_000)]
    [InlineData("PEXPIREAT", "1700000000250", 250)]
    public async Task EveryForm_SetsTheSameAbsoluteExpiry(string command, string amount, long expectedPttl)
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(1, await _node.Integer(command, "k", amount));
        Assert.Equal(expectedPttl, await _node.Integer("PTTL", "k"));
        Assert.Equal(OneNode.StartMs + expectedPttl, _node.Stored("k")!.ExpiresAtMs);
    }

    [Fact]
    public async Task Expire_MissingKey_AnswersZero_AndWritesNothing()
    {
        Assert.Equal(0, await _node.Integer("EXPIRE", "k", "10"));
        Assert.Equal(0, await _node.Integer("EXPIRE", "k", "-10"));
        Assert.Null(_node.Stored("k"));
    }

    [Fact]
    public async Task Expire_ExpiredKey_AnswersZero()
    {
        await _node.Run("SET", "k", "v", "PX", "10");
        _node.Time.AdvanceMs(10);
        Assert.Equal(0, await _node.Integer("EXPIRE", "k", "100"));
        Assert.Equal(-2, await _node.Integer("TTL", "k"));
    }

    [Theory]
    [InlineData("EXPIRE", "-1")]
    [InlineData("EXPIRE", "0")]
    [InlineData("PEXPIRE", "0")]
    [InlineData("PEXPIRE", "-9223372036854775808")]
    [InlineData("EXPIREAT", "1700000000")] // exactly now
    [InlineData("EXPIREAT", "1")]
    [InlineData("PEXPIREAT", "1700000000000")]
    [InlineData("PEXPIREAT", "-5")]
    public async Task Expire_TimeNotInTheFuture_DeletesTheKey_AndAnswersOne(string command, string amount)
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(1, await _node.Integer(command, "k", amount));
        Assert.Null(await _node.Value("GET", "k"));
        Assert.Equal(-2, await _node.Integer("TTL", "k"));
        Assert.True(_node.Stored("k")!.IsTombstone);
    }

    [Fact]
    public async Task Expire_OneMillisecondAhead_KeepsTheKeyUntilThen()
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(1, await _node.Integer("PEXPIREAT", "k", (OneNode.StartMs + 1).ToString()));
        Assert.Equal("v", await _node.Value("GET", "k"));
        _node.Time.AdvanceMs(1);
        Assert.Null(await _node.Value("GET", "k"));
    }

    [Fact]
    public async Task Expire_WritesANewVersionOfTheSameValue()
    {
        await _node.Run("SET", "k", "v");
        var before = _node.Stored("k")!;
        await _node.Run("EXPIRE", "k", "10");
        var after = _node.Stored("k")!;
        Assert.True(after.Version > before.Version);
        Assert.Equal("v"u8.ToArray(), after.Value);
        Assert.Equal(OneNode.StartMs + 10_000, after.ExpiresAtMs);
    }

    [Fact]
    public async Task Expire_AgainReplacesTheExpiry()
    {
        await _node.Run("SET", "k", "v", "EX", "100");
        Assert.Equal(1, await _node.Integer("EXPIRE", "k", "5"));
        Assert.Equal(5, await _node.Integer("TTL", "k"));
    }

    [Fact]
    public async Task Persist_RemovesTheExpiry_OnlyWhenThereIsOne()
    {
        Assert.Equal(0, await _node.Integer("PERSIST", "missing"));
        await _node.Run("SET", "k", "v");
        Assert.Equal(0, await _node.Integer("PERSIST", "k"));
        await _node.Run("EXPIRE", "k", "10");
        var withExpiry = _node.Stored("k")!;
        Assert.Equal(1, await _node.Integer("PERSIST", "k"));
        Assert.Equal(-1, await _node.Integer("TTL", "k"));
        Assert.True(_node.Stored("k")!.Version > withExpiry.Version);
        Assert.Equal(0, await _node.Integer("PERSIST", "k"));
        _node.Time.AdvanceMs(20_000);
        Assert.Equal("v", await _node.Value("GET", "k"));
    }

    [Fact]
    public async Task Persist_ExpiredKey_AnswersZero()
    {
        await _node.Run("SET", "k", "v", "EX", "1");
        _node.Time.AdvanceMs(1_000);
        Assert.Equal(0, await _node.Integer("PERSIST", "k"));
        Assert.Null(await _node.Value("GET", "k"));
    }

    [Fact]
    public async Task PlainSet_ClearsTheExpiry()
    {
        await _node.Run("SET", "k", "v", "EX", "10");
        await _node.Run("SET", "k", "w");
        Assert.Equal(-1, await _node.Integer("TTL", "k"));
    }

    [Fact]
    public async Task TimeQueries_WriteNothing()
    {
        await _node.Run("SET", "k", "v", "EX", "10");
        var before = _node.Stored("k");
        foreach (var command in new[] { "TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME" })
        {
            await _node.Run(command, "k");
        }
        Assert.Same(before, _node.Stored("k"));
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
