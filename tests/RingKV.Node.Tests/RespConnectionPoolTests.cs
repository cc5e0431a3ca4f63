using System.Net;
using System.Net.Sockets;
using System.Text;
using RingKV.Net;

namespace RingKV.Node.Tests;

/// <summary>
/// The pool sends commands in the order of the calls, also those made while the connection is still being opened:
/// the replicator queues one key's writes to a peer in version order and relies on the peer receiving them so.
/// </summary>
public sealed class RespConnectionPoolTests
{
    private const int Calls = 200;

    [Fact]
    public async Task ExecuteAsync_CallsMadeWhileTheConnectionOpens_AreSentInCallOrder()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var handshakeSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseHandshake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = ServeAsync(listener, handshakeSeen, releaseHandshake.Task);
        // The handshake holds the connection in "opening" until the server answers it, so every call below waits.
        await using var pool = new RespConnectionPool { Handshake = [["PING"]], CommandTimeout = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(30) };

        var replies = new List<Task<Protocol.RespValue>>(Calls);
        for (var i = 0; i < Calls; i++)
        {
            replies.Add(pool.ExecuteAsync(endpoint, "ECHO", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        await handshakeSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        releaseHandshake.SetResult();

        var answered = await Task.WhenAll(replies).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, Calls).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), answered.Select(r => r.AsString()));
        Assert.Equal(Enumerable.Range(0, Calls), await server.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// Accepts one connection, answers its first command (the handshake's PING) only once released, then echoes each
    /// ECHO argument; returns the arguments in the order they arrived.
    /// </summary>
    private static async Task<List<int>> ServeAsync(TcpListener listener, TaskCompletionSource handshakeSeen, Task releaseHandshake)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var received = new List<int>();
        var first = await ReadCommandAsync(reader);
        Assert.Equal(["PING"], first);
        handshakeSeen.SetResult();
        await releaseHandshake;
        await stream.WriteAsync("+PONG\r\n"u8.ToArray());
        while (received.Count < Calls)
        {
            var command = await ReadCommandAsync(reader);
            received.Add(int.Parse(command[1], System.Globalization.CultureInfo.InvariantCulture));
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"${command[1].Length}\r\n{command[1]}\r\n"));
        }
        return received;
    }

    // The pool writes arrays of bulk strings: "*N", then "$len" and the argument for each of N.
    private static async Task<string[]> ReadCommandAsync(StreamReader reader)
    {
        var header = await reader.ReadLineAsync() ?? throw new EndOfStreamException();
        var arguments = new string[int.Parse(header[1..], System.Globalization.CultureInfo.InvariantCulture)];
        for (var i = 0; i < arguments.Length; i++)
        {
            await reader.ReadLineAsync();
            arguments[i] = await reader.ReadLineAsync() ?? throw new EndOfStreamException();
        }
        return arguments;
    }
}
