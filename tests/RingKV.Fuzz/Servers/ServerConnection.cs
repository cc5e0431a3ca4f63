using System.Buffers;
using System.Net.Sockets;
using RingKV.Protocol;

namespace RingKV.Fuzz.Servers;

/// <summary>
/// A raw TCP connection that writes arbitrary bytes and reads whole RESP reply frames back, noticing when the server
/// closes. Sends run in the background, so a server that answers a protocol error and closes while a large stream is
/// still being written is observed as it happens instead of blocking the writer.
/// </summary>
/// <remarks>Not thread-safe: one caller sends and reads. Every read is bounded by the timeout it is given.</remarks>
internal sealed class ServerConnection : IAsyncDisposable
{
    // Replies are parsed with generous limits: the connection must observe what a server sends, not police it.
    private static readonly RespLimits ReplyLimits = new() { MaxArguments = int.MaxValue, MaxInlineLength = 1 << 30 };

    private readonly Socket _socket;
    private readonly byte[] _chunk = new byte[64 * 1024];
    private byte[] _buffer = new byte[64 * 1024];
    private int _length;
    private Task _sending = Task.CompletedTask;

    private ServerConnection(Socket socket) => _socket = socket;

    /// <summary>True once the server closed the connection (end of stream or reset).</summary>
    public bool Closed { get; private set; }

    /// <summary>True when the close was a reset: replies the server wrote just before it may have been lost.</summary>
    public bool Reset { get; private set; }

    /// <summary>Bytes received that do not (yet) form a complete frame.</summary>
    public int Pending => _length;

    /// <exception cref="SocketException">Nothing listens on <paramref name="port"/>.</exception>
    public static async Task<ServerConnection> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync("127.0.0.1", port, timeout.Token);
            return new ServerConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Queues <paramref name="bytes"/> for sending, in one write or cut at <paramref name="cuts"/>.</summary>
    public void Send(byte[] bytes, IReadOnlyList<int>? cuts = null)
    {
        var previous = _sending;
        _sending = Task.Run(async () =>
        {
            await previous;
            var start = 0;
            foreach (var end in (cuts ?? []).Append(bytes.Length))
            {
                if (end > start)
                {
                    try
                    {
                        await _socket.SendAsync(bytes.AsMemory(start, end - start));
                    }
                    catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                    {
                        // The server closed while we were still writing (after a protocol error): reads will show it.
                        return;
                    }
                    start = end;
                }
            }
        });
    }

    /// <summary>The next complete reply, or null once the server closed the connection before sending one.</summary>
    /// <exception cref="TimeoutException">Neither a frame nor the close arrived within <paramref name="timeout"/>, or <paramref name="giveUp"/> fired first.</exception>
    /// <exception cref="RespProtocolException">The server sent bytes that are no RESP frame.</exception>
    public async Task<ReplyFrame?> ReadFrameAsync(TimeSpan timeout, CancellationToken giveUp = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(giveUp);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (TryTakeFrame(out var frame))
            {
                return frame;
            }
            if (Closed)
            {
                return null;
            }
            await FillAsync(timeout, deadline.Token);
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the server to close; returns whether it did.</summary>
    /// <remarks>Bytes that arrive meanwhile stay in the buffer (<see cref="Pending"/>, <see cref="ReadFrameAsync"/>).</remarks>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout, CancellationToken giveUp = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(giveUp);
        deadline.CancelAfter(timeout);
        try
        {
            while (!Closed)
            {
                await FillAsync(timeout, deadline.Token);
            }
        }
        catch (TimeoutException)
        {
            return false;
        }
        return true;
    }

    private bool TryTakeFrame(out ReplyFrame? frame)
    {
        frame = null;
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_buffer, 0, _length));
        if (!RespReplyParser.TryParse(ref reader, ReplyLimits, out var value))
        {
            return false;
        }
        var consumed = (int)reader.Consumed;
        frame = new ReplyFrame(_buffer[..consumed], value);
        Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _length - consumed);
        _length -= consumed;
        return true;
    }

    private async Task FillAsync(TimeSpan timeout, CancellationToken deadline)
    {
        int read;
        try
        {
            read = await _socket.ReceiveAsync(_chunk, deadline);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"nothing arrived within {timeout.TotalSeconds:0.0} s ({_length} bytes of an incomplete frame pending)");
        }
        catch (SocketException)
        {
            Closed = Reset = true;
            return;
        }
        if (read == 0)
        {
            Closed = true;
            return;
        }
        if (_length + read > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + read));
        }
        Buffer.BlockCopy(_chunk, 0, _buffer, _length, read);
        _length += read;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        try
        {
            await _sending;
        }
        catch (ObjectDisposedException)
        {
            // The socket went away under the sender: nothing left to send anyway.
        }
    }
}
