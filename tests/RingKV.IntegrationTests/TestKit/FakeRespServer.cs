using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>
/// A scripted RESP server on a free loopback port, for client behaviour a real node shows only by chance (a process
/// that still accepts connections while it dies, a handshake that takes its time). Each command, read as an array of
/// bulk strings, goes to the handler, one at a time per connection; the handler returns the raw reply, or null to
/// close that connection without answering.
/// </summary>
public sealed class FakeRespServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string[], Task<byte[]?>> _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    public FakeRespServer(Func<string[], Task<byte[]?>> handler)
    {
        _handler = handler;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    public static byte[] Simple(string text) => Encoding.UTF8.GetBytes($"+{text}\r\n");

    public static byte[] Bulk(string text) => Encoding.UTF8.GetBytes($"${Encoding.UTF8.GetByteCount(text)}\r\n{text}\r\n");

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.UTF8);
                while (await ReadCommandAsync(reader) is { } command && await _handler(command) is { } reply)
                {
                    await stream.WriteAsync(reply, _stopping.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    // Clients send arrays of bulk strings: "*N", then "$len" and the argument for each of N. Null at end of stream.
    private async Task<string[]?> ReadCommandAsync(StreamReader reader)
    {
        if (await reader.ReadLineAsync(_stopping.Token) is not { } header)
        {
            return null;
        }
        var arguments = new string[int.Parse(header[1..], System.Globalization.CultureInfo.InvariantCulture)];
        for (var i = 0; i < arguments.Length; i++)
        {
            await reader.ReadLineAsync(_stopping.Token);
            arguments[i] = await reader.ReadLineAsync(_stopping.Token) ?? throw new EndOfStreamException();
        }
        return arguments;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }
}
