using System.Net.Sockets;
using System.Text;

namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// A bare TCP connection that sends one command as a RESP array of bulk strings (binary-safe arguments) and reads
/// exactly one complete reply frame (the pattern of <c>TestKit/RawSocket</c>, framed instead of line based).
/// </summary>
/// <remarks>
/// One command in flight at a time; not thread-safe. After any exception the connection's framing is unknown
/// (a late reply could be taken for the next command's), so callers dispose it and connect again.
/// </remarks>
public sealed class RespFrameConnection : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly TimeSpan _readTimeout;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RespFrameConnection(TcpClient client, TimeSpan readTimeout)
    {
        _client = client;
        _stream = client.GetStream();
        _readTimeout = readTimeout;
    }

    /// <exception cref="SocketException">Nothing listens on <paramref name="port"/>.</exception>
    /// <exception cref="OperationCanceledException">The connection was not accepted within 5 s.</exception>
    public static async Task<RespFrameConnection> ConnectAsync(int port, TimeSpan readTimeout)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return new RespFrameConnection(client, readTimeout);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="arguments"/> as one command and returns its reply.</summary>
    /// <exception cref="TimeoutException">No complete frame arrived within the read timeout.</exception>
    /// <exception cref="IOException">The peer closed or reset the connection.</exception>
    /// <exception cref="FormatException">The reply is not RESP2, or more bytes followed the frame.</exception>
    public async Task<RespFrame> ExecuteAsync(IReadOnlyList<byte[]> arguments)
    {
        await _stream.WriteAsync(Encode(arguments));
        using var deadline = new CancellationTokenSource(_readTimeout);
        while (true)
        {
            var frame = RespFrame.TryParse(_buffer.AsSpan(_start, _end - _start), out var consumed);
            if (frame is not null)
            {
                _start += consumed;
                if (_start != _end)
                {
                    // One command, one reply: trailing bytes mean the server answered twice (or framed wrongly).
                    throw new FormatException($"{_end - _start} unexpected bytes after the reply: '{Escaping.Render(_buffer.AsSpan(_start, _end - _start))}'");
                }
                _start = _end = 0;
                return frame;
            }
            await FillAsync(deadline.Token);
        }
    }

    /// <summary>The command's wire form: <c>*N\r\n</c> then <c>$len\r\narg\r\n</c> per argument.</summary>
    public static byte[] Encode(IReadOnlyList<byte[]> arguments)
    {
        using var bytes = new MemoryStream();
        bytes.Write(Encoding.ASCII.GetBytes($"*{arguments.Count}\r\n"));
        foreach (var argument in arguments)
        {
            bytes.Write(Encoding.ASCII.GetBytes($"${argument.Length}\r\n"));
            bytes.Write(argument);
            bytes.Write("\r\n"u8);
        }
        return bytes.ToArray();
    }

    private async Task FillAsync(CancellationToken deadline)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), deadline);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no complete reply within {_readTimeout.TotalSeconds:0.#} s (had: '{Escaping.Render(_buffer.AsSpan(0, _end))}')");
        }
        if (read == 0)
        {
            throw new IOException($"the server closed the connection (had: '{Escaping.Render(_buffer.AsSpan(0, _end))}')");
        }
        _end += read;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
