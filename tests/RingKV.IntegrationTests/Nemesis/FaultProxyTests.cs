using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using RingKV.IntegrationTests.TestKit;
using RingKV.Nemesis;

namespace RingKV.IntegrationTests.Nemesis;

/// <summary>
/// The fault proxy in front of a loopback echo server: what a client of a proxied service observes under each
/// behaviour. Timing assertions are lower bounds only (a busy machine may always be slower).
/// </summary>
public sealed class FaultProxyTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Pass_ForwardsBothWays_AndCountsConnectionsAndBytes()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.EndPoint);
        using var client = await ConnectAsync(proxy);
        var payload = new byte[200_000];
        new Random(7).NextBytes(payload);

        var reply = await RoundTripAsync(client, payload, Generous);

        Assert.Equal(payload, reply);
        Assert.Equal(1, proxy.Connections);
        await Eventually.TrueAsync(() => Task.FromResult(proxy.BytesToTarget == payload.Length && proxy.BytesFromTarget == payload.Length),
            Generous, "the byte counters reach the payload size", () => $"to target {proxy.BytesToTarget}, from target {proxy.BytesFromTarget}");
    }

    [Fact]
    public async Task Delay_RoundTripTakesAtLeastTwiceTheLatency_AndKeepsOrderUnderJitter()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.EndPoint, seed: 1);
        using var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, "warm-up"u8.ToArray(), Generous);

        proxy.Delay(TimeSpan.FromMilliseconds(150));
        var watch = Stopwatch.StartNew();
        await RoundTripAsync(client, "ping"u8.ToArray(), Generous);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(300), $"a round trip under 150 ms delay each way took {watch.Elapsed.TotalMilliseconds:0} ms");

        // Jitter larger than the gap between sends must not reorder the stream.
        proxy.Delay(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(60));
        var sent = new StringBuilder();
        for (var i = 0; i < 30; i++)
        {
            var message = $"[{i}]";
            sent.Append(message);
            await client.SendAsync(Encoding.ASCII.GetBytes(message), SocketFlags.None);
            await Task.Delay(2);
        }
        var received = await ReadExactlyAsync(client, sent.Length, Generous);
        Assert.Equal(sent.ToString(), Encoding.ASCII.GetString(received));
    }

    [Fact]
    public async Task Loss_WithCertainty_StallsEveryChunkBothWays()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.EndPoint, seed: 1);
        using var client = await ConnectAsync(proxy);
        proxy.Loss(1.0, TimeSpan.FromMilliseconds(200));

        var watch = Stopwatch.StartNew();
        var reply = await RoundTripAsync(client, "ping"u8.ToArray(), Generous);

        Assert.Equal("ping"u8.ToArray(), reply);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(400), $"a round trip with a 200 ms stall each way took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(proxy.Stalls >= 2, $"stalls: {proxy.Stalls}");
    }

    [Fact]
    public async Task Loss_SameSeed_StallsTheSameChunks()
    {
        async Task<long> StallsAsync(int seed)
        {
            await using var echo = new EchoServer();
            await using var proxy = FaultProxy.Start(echo.EndPoint, seed: seed);
            using var client = await ConnectAsync(proxy);
            proxy.Loss(0.5, TimeSpan.FromMilliseconds(20));
            // One message in flight at a time: each is one chunk per direction, so the draws line up run to run.
            for (var i = 0; i < 12; i++)
            {
                await RoundTripAsync(client, Encoding.ASCII.GetBytes($"m{i}"), Generous);
            }
            return proxy.Stalls;
        }

        var first = await StallsAsync(42);
        var second = await StallsAsync(42);

        Assert.Equal(first, second);
        Assert.InRange(first, 1, 23); // 24 draws at p = 0.5: neither none nor all
    }

    [Fact]
    public async Task Blackhole_ReadTimesOut_ThenPassDeliversTheHeldBytes_AndNewConnectionsWork()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.EndPoint);
        using var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, "before"u8.ToArray(), Generous);

        proxy.Blackhole();
        await client.SendAsync("during"u8.ToArray(), SocketFlags.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReadExactlyAsync(client, 6, TimeSpan.FromMilliseconds(500)));
        // A connection opened during the blackhole is accepted by the kernel but never reaches the target.
        using var during = await ConnectAsync(proxy);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RoundTripAsync(during, "x"u8.ToArray(), TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, echo.Accepted);

        proxy.Pass();
        Assert.Equal("during"u8.ToArray(), await ReadExactlyAsync(client, 6, Generous));
        using var after = await ConnectAsync(proxy);
        Assert.Equal("after"u8.ToArray(), await RoundTripAsync(after, "after"u8.ToArray(), Generous));
    }

    [Fact]
    public async Task Refuse_ClosesOpenConnections_AndResetsNewOnes_UntilPass()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.EndPoint);
        using var client = await ConnectAsync(proxy);
        await RoundTripAsync(client, "before"u8.ToArray(), Generous);

        proxy.Refuse();
        Assert.True(await IsClosedAsync(client), "the open connection survived Refuse");
        using var refused = await TryConnectAsync(proxy);
        Assert.True(refused is null || await IsClosedAsync(refused), "a new connection was not reset under Refuse");

        proxy.Pass();
        using var after = await ConnectAsync(proxy);
        Assert.Equal("after"u8.ToArray(), await RoundTripAsync(after, "after"u8.ToArray(), Generous));
    }

    private static async Task<Socket> ConnectAsync(FaultProxy proxy) =>
        await TryConnectAsync(proxy) ?? throw new InvalidOperationException($"could not connect to the proxy at {proxy.Endpoint}");

    private static async Task<Socket?> TryConnectAsync(FaultProxy proxy)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(Generous);
            await socket.ConnectAsync(proxy.LocalEndPoint, timeout.Token);
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    private static async Task<byte[]> RoundTripAsync(Socket socket, byte[] payload, TimeSpan timeout)
    {
        var send = socket.SendAsync(payload, SocketFlags.None);
        var reply = await ReadExactlyAsync(socket, payload.Length, timeout);
        await send;
        return reply;
    }

    /// <exception cref="OperationCanceledException">Fewer than <paramref name="count"/> bytes arrived within <paramref name="timeout"/>.</exception>
    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, deadline.Token);
            if (n == 0)
            {
                throw new IOException($"the connection closed after {read} of {count} bytes");
            }
            read += n;
        }
        return buffer;
    }

    /// <summary>True when the peer closed or reset the connection within a generous deadline.</summary>
    private static async Task<bool> IsClosedAsync(Socket socket)
    {
        using var deadline = new CancellationTokenSource(Generous);
        try
        {
            return await socket.ReceiveAsync(new byte[16], SocketFlags.None, deadline.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
