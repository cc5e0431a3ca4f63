namespace RingKV.Node.Tests;

/// <summary>
/// A node that does not hold the key (its primary is an unreachable peer) answers malformed requests itself,
/// with Redis' error, instead of forwarding them: only well-formed requests reach the network (and fail there).
/// </summary>
public sealed class ValidationBeforeRoutingTests : IAsyncDisposable
{
    private readonly OneNode _node = new(primaryElsewhere: true);

    [Theory]
    [InlineData("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", "EXPIRE", "k", "10", "NX", "GT")]
    [InlineData("-ERR GT and LT options at the same time are not compatible\r\n", "PEXPIREAT", "k", "10", "GT", "LT")]
    [InlineData("-ERR Unsupported option FOO\r\n", "EXPIREAT", "k", "10", "FOO")]
    [InlineData("-ERR value is not an integer or out of range\r\n", "PEXPIRE", "k", "soon")]
    [InlineData("-ERR invalid expire time in 'expire' command\r\n", "expire", "k", "9223372036854776")]
    [InlineData("-ERR syntax error\r\n", "GETEX", "k", "EX", "10", "PERSIST")]
    [InlineData("-ERR syntax error\r\n", "SET", "k", "v", "EX", "10", "KEEPTTL")]
    [InlineData("-ERR invalid expire time in 'set' command\r\n", "SET", "k", "v", "PX", "0")]
    [InlineData("-ERR wrong number of arguments for 'getdel' command\r\n", "GETDEL")]
    public async Task MalformedRequests_AreAnsweredWithoutForwarding(string expected, params string[] request) =>
        Assert.Equal(expected, await _node.Session(request));

    [Theory]
    [InlineData("EXPIRE", "k", "10")]
    [InlineData("TTL", "k")]
    [InlineData("GETEX", "k", "EX", "abc")] // the amount is judged by the primary, after it finds the key
    public async Task WellFormedRequests_AreForwarded(params string[] request) =>
        Assert.StartsWith("-CLUSTERDOWN", await _node.Session(request));

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
