using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Xunit.Sdk;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>
/// A bare TCP connection for sending bytes no client library would produce (garbage, half commands, inline
/// commands) and reading the exact reply bytes. Every read is bounded by <see cref="ReadTimeout"/>.
/// </summary>
public sealed class RawSocket : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawSocket(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawSocket> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return new RawSocket(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="text"/> byte for byte (Latin-1, so "\r\n" and any byte pass unchanged).</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Reads one CRLF-terminated line and returns it without the CRLF.</summary>
    /// <exception cref="XunitException">The peer closed the connection or sent nothing within the timeout.</exception>
    public async Task<string> ReadLineAsync()
    {
        while (true)
        {
            var length = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (length >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, length);
                _start += length + 2;
                return line;
            }
            if (await FillAsync() == 0)
            {
                throw new XunitException($"the server closed the connection instead of sending a line (had: '{Pending()}')");
            }
        }
    }

    /// <summary>Reads one bulk string reply (<c>$N</c> and its N bytes) and returns its body.</summary>
    /// <exception cref="XunitException">The reply was not a bulk string, or the peer closed or went silent.</exception>
    public async Task<string> ReadBulkAsync()
    {
        var header = await ReadLineAsync();
        if (!header.StartsWith('$') || !int.TryParse(header.AsSpan(1), CultureInfo.InvariantCulture, out var length) || length < 0)
        {
            throw new XunitException($"expected a bulk string reply, got '{header}'");
        }
        while (_end - _start < length + 2)
        {
            if (await FillAsync() == 0)
            {
                throw new XunitException($"the server closed the connection inside a bulk string (had: '{Pending()}')");
            }
        }
        var body = Encoding.Latin1.GetString(_buffer, _start, length);
        _start += length + 2;
        return body;
    }

    /// <summary>Waits until the server closes the connection; returns whatever else it sent first.</summary>
    /// <exception cref="XunitException">The connection was still open after the timeout.</exception>
    public async Task<string> ReadUntilClosedAsync()
    {
        try
        {
            while (await FillAsync() > 0)
            {
            }
        }
        catch (IOException)
        {
            // A reset is a close too: the server dropped the connection with our bytes unread.
        }
        return Pending();
    }

    private string Pending() => Encoding.Latin1.GetString(_buffer, _start, _end - _start);

    private async Task<int> FillAsync()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            throw new XunitException("reply line longer than the raw socket's buffer");
        }
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token);
            _end += read;
            return read;
        }
        catch (OperationCanceledException)
        {
            throw new XunitException($"nothing received from the server within {ReadTimeout.TotalSeconds:0} s (had: '{Pending()}')");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
