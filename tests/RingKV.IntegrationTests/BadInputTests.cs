using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests;

/// <summary>Bad input gets Redis' error, never a crash or a hang; the process serves everyone else throughout.</summary>
public sealed class BadInputTests(SharedCluster shared) : IClassFixture<SharedCluster>
{
    private ClusterFixture Cluster => shared.Fixture;

    private int Port => Cluster.Nodes[0].Port;

    [Fact]
    public Task UnknownCommand_OnRawConnection_AnswersErrorAndConnectionStaysUsable() => Cluster.VerifyAsync(async () =>
    {
        await using var socket = await RawSocket.ConnectAsync(Port);
        await socket.SendAsync("*2\r\n$9\r\nNOSUCHCMD\r\n$1\r\nx\r\n");
        var error = await socket.ReadLineAsync();
        Assert.StartsWith("-ERR unknown command", error, StringComparison.Ordinal);

        await socket.SendAsync("*1\r\n$4\r\nPING\r\n");
        Assert.Equal("+PONG", await socket.ReadLineAsync());
    });

    [Fact]
    public Task GetWithoutKey_WrongArity_AnswersRedisErrorAndConnectionStaysUsable() => Cluster.VerifyAsync(async () =>
    {
        await using var socket = await RawSocket.ConnectAsync(Port);
        await socket.SendAsync("*1\r\n$3\r\nGET\r\n");
        Assert.Equal("-ERR wrong number of arguments for 'get' command", await socket.ReadLineAsync());

        await socket.SendAsync("*1\r\n$4\r\nPING\r\n");
        Assert.Equal("+PONG", await socket.ReadLineAsync());
    });

    [Fact]
    public Task GarbageMultibulkLength_ProtocolError_ConnectionClosedAndNewConnectionServed() => Cluster.VerifyAsync(async () =>
    {
        await using (var socket = await RawSocket.ConnectAsync(Port))
        {
            await socket.SendAsync("*abc\r\n");
            Assert.Equal("-ERR Protocol error: invalid multibulk length", await socket.ReadLineAsync());
            Assert.Equal("", await socket.ReadUntilClosedAsync());
        }
        await AssertNodeServesAsync();
    });

    [Fact]
    public Task BulkLengthOverLimit_ProtocolError_ConnectionClosedAndNewConnectionServed() => Cluster.VerifyAsync(async () =>
    {
        await using (var socket = await RawSocket.ConnectAsync(Port))
        {
            await socket.SendAsync("*2\r\n$3\r\nGET\r\n$9999999999\r\n");
            Assert.Equal("-ERR Protocol error: invalid bulk length", await socket.ReadLineAsync());
            Assert.Equal("", await socket.ReadUntilClosedAsync());
        }
        await AssertNodeServesAsync();
    });

    [Fact]
    public Task HalfCommandThenDisconnect_NodeKeepsServing_KeyNeverSet() => Cluster.VerifyAsync(async () =>
    {
        await using (var half = await RawSocket.ConnectAsync(Port))
        {
            await half.SendAsync("*3\r\n$3\r\nSET\r\n$6\r\nhalf:k");
            // While the half command sits in the node's buffer, other clients are served.
            await AssertNodeServesAsync();
        }
        await AssertNodeServesAsync();
        Assert.Null(await Cluster.Client.GetAsync("half:k"));
        foreach (var node in Cluster.Nodes)
        {
            var local = await Cluster.Client.ExecuteOnAsync(ClusterFixture.EndpointOf(node), "RKV.LOCALGET", "half:k");
            Assert.True(local.IsNull, $"{node.Name} stores half:k = {local}");
        }
    });

    [Fact]
    public Task InlineCommands_OverRawSocket_PutThenGetWork() => Cluster.VerifyAsync(async () =>
    {
        await using var socket = await RawSocket.ConnectAsync(Port);
        await socket.SendAsync("PUT inline:k v\r\n");
        Assert.Equal("+OK", await socket.ReadLineAsync());
        await socket.SendAsync("GET inline:k\r\n");
        Assert.Equal("$1", await socket.ReadLineAsync());
        Assert.Equal("v", await socket.ReadLineAsync());
    });

    [Fact]
    public Task OneMegabyteBinaryValue_SetThroughOneNode_RoundTripsThroughEveryNode() => Cluster.VerifyAsync(async () =>
    {
        // Every byte value, so 0, \r and \n appear thousands of times, including "\r\n" pairs mid-value.
        var value = new byte[1024 * 1024];
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = (byte)(i * 7 % 256);
        }
        value[0] = (byte)'\r';
        value[1] = (byte)'\n';
        value[^2] = (byte)'\r';
        value[^1] = (byte)'\n';
        var key = "big:binary"u8.ToArray();

        await using (var entry = await ClusterFixture.ConnectAsync(Cluster.Nodes[0]))
        {
            var reply = await entry.ExecuteAsync(["SET"u8.ToArray(), key, value]);
            Assert.True(reply.AsString() == "OK", $"SET of 1 MB answered {reply}");
        }
        foreach (var node in Cluster.Nodes)
        {
            await using var connection = await ClusterFixture.ConnectAsync(node);
            var reply = await connection.ExecuteAsync(["GET"u8.ToArray(), key]);
            Assert.False(reply.IsError, $"GET through {node.Name} answered {reply}");
            Assert.True(value.AsSpan().SequenceEqual(reply.Bytes), $"GET through {node.Name} returned {reply.Bytes?.Length} bytes that differ from the {value.Length} written");
        }
        var viaClient = await Cluster.Client.GetBytesAsync(key);
        Assert.True(viaClient is not null && value.AsSpan().SequenceEqual(viaClient), "RingKvClient read a different value");
    });

    private async Task AssertNodeServesAsync()
    {
        await using var socket = await RawSocket.ConnectAsync(Port);
        await socket.SendAsync("*1\r\n$4\r\nPING\r\n");
        Assert.Equal("+PONG", await socket.ReadLineAsync());
    }
}
