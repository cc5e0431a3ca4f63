using RingKV.IntegrationTests.TestKit;
using RingKV.Net;

namespace RingKV.IntegrationTests.Client;

/// <summary>
/// The pool sends commands in the order of the calls, also those made while the connection is still being opened:
/// the replicator queues one key's writes to a peer in version order and relies on the peer receiving them so
/// (ADR 0009, third amendment).
/// </summary>
public sealed class RespConnectionPoolTests
{
    private const int Calls = 200;

    [Fact]
    public async Task ExecuteAsync_CallsMadeWhileTheConnectionOpens_AreSentInCallOrder()
    {
        var handshakeSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseHandshake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new List<string>();
        // The handshake holds the connection in "opening" until the server answers it, so every call below waits.
        await using var server = new FakeRespServer(async command =>
        {
            if (command[0] == "PING")
            {
                handshakeSeen.SetResult();
                await releaseHandshake.Task;
                return FakeRespServer.Simple("PONG");
            }
            received.Add(command[1]);
            return FakeRespServer.Bulk(command[1]);
        });
        await using var pool = new RespConnectionPool { Handshake = [["PING"]], CommandTimeout = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(30) };

        var order = Enumerable.Range(0, Calls).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var replies = order.Select(text => pool.ExecuteAsync(server.Endpoint, "ECHO", text)).ToArray();
        await handshakeSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        releaseHandshake.SetResult();

        var answered = await Task.WhenAll(replies).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(order, answered.Select(r => r.AsString()));
        Assert.Equal(order, received);
    }
}
