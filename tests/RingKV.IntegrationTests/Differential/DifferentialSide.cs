using System.Net.Sockets;

namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// One server under comparison (named "redis", "ringkv", …) and the one connection the harness keeps to it. A
/// command that gets no well-formed reply becomes a <see cref="SideReply"/> failure and the connection is replaced,
/// so one bad reply cannot shift every later reply by one.
/// </summary>
/// <remarks>Not thread-safe: the harness runs one command at a time.</remarks>
public sealed class DifferentialSide : IAsyncDisposable
{
    private readonly TimeSpan _readTimeout;
    private RespFrameConnection? _connection;

    private DifferentialSide(string name, int port, TimeSpan readTimeout, RespFrameConnection connection)
    {
        Name = name;
        Port = port;
        _readTimeout = readTimeout;
        _connection = connection;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>Commands that got no well-formed reply so far.</summary>
    public int Failures { get; private set; }

    /// <exception cref="SocketException">Nothing listens on <paramref name="port"/>.</exception>
    public static async Task<DifferentialSide> ConnectAsync(string name, int port, TimeSpan readTimeout) =>
        new(name, port, readTimeout, await RespFrameConnection.ConnectAsync(port, readTimeout));

    public async Task<SideReply> ExecuteAsync(RedisCommand command)
    {
        try
        {
            _connection ??= await RespFrameConnection.ConnectAsync(Port, _readTimeout);
            return SideReply.Of(await _connection.ExecuteAsync(command.Arguments));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or FormatException or SocketException or OperationCanceledException)
        {
            Failures++;
            await DropConnectionAsync();
            return SideReply.Failed($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public ValueTask DisposeAsync() => new(DropConnectionAsync());
}
