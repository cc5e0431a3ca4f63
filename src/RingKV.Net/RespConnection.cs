using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using RingKV.Protocol;

namespace RingKV.Net;

/// <summary>
/// A pipelined client connection: any number of callers may issue commands concurrently; commands are written
/// in batches by one writer loop and replies are matched to callers in FIFO order by one reader loop.
/// </summary>
/// <remarks>
/// Thread-safe. When the connection breaks, every outstanding and future command fails with
/// <see cref="RespConnectionException"/>; callers (the pool) open a new connection. A command whose reply does
/// not arrive within the timeout fails and breaks the connection too: replies are matched by position, so a
/// connection that skipped one can not be trusted any more, and a peer that stopped answering (SIGSTOP, a
/// partition) is best treated as gone.
/// </remarks>
public sealed class RespConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    // Two readers: the write loop, and Fail, which fails whatever the loop has not taken yet as never sent.
    private readonly Channel<PendingCommand> _outgoing = Channel.CreateUnbounded<PendingCommand>();
    private readonly Queue<PendingCommand> _awaitingReply = new();

    /// <summary>
    /// Guards <see cref="_awaitingReply"/> and the moment <see cref="_failure"/> is set. Replies are matched to
    /// commands by position, so once the connection has failed (its awaiting commands drained with an error) the read
    /// loop must not match one more reply: a command queued after the drain would get the answer to an older one.
    /// </summary>
    private readonly Lock _replyGate = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly RespLimits _limits;
    private readonly Timer _watchdog;
    private long _lastTick = Stopwatch.GetTimestamp();
    private long _resumedAt;
    private Exception? _failure;

    /// <summary>How often the oldest unanswered command is checked against <see cref="CommandTimeout"/>.</summary>
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMilliseconds(100);

    private RespConnection(Socket socket, Stream stream, string endpoint, RespLimits limits)
    {
        _socket = socket;
        _stream = stream;
        Endpoint = endpoint;
        _limits = limits;
        // One timer per connection rather than one per command: replies come in order, so only the oldest unanswered
        // command can be the first to time out (and a per-command WaitAsync costs a timer allocation on every call).
        _watchdog = new Timer(static state => ((RespConnection)state!).CheckTimeout(), this, WatchdogPeriod, WatchdogPeriod);
        _ = WriteLoopAsync();
        _ = ReadLoopAsync();
    }

    public string Endpoint { get; }

    /// <summary>How long a command may wait for its reply.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public bool IsConnected => _failure is null;

    /// <exception cref="RespConnectionException">The peer could not be reached within <paramref name="connectTimeout"/>.</exception>
    /// <param name="tls">Dial with TLS, verifying the server as these settings say; null: plaintext.</param>
    public static async Task<RespConnection> ConnectAsync(string host, int port, TimeSpan connectTimeout, RespLimits? limits = null, TimeSpan? commandTimeout = null,
        TlsSettings? tls = null, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            throw new RespConnectionException($"cannot connect to {host}:{port}: {ex.Message}", ex);
        }
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (tls is not null)
        {
            var ssl = new System.Net.Security.SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                // The handshake shares the connect timeout: a peer that accepts TCP but never answers TLS is unreachable.
                await ssl.AuthenticateAsClientAsync(tls.ClientOptions(host), timeout.Token);
            }
            catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
            {
                await ssl.DisposeAsync();
                throw new RespConnectionException($"TLS handshake with {host}:{port} failed: {ex.Message}", ex) { Refused = ex is System.Security.Authentication.AuthenticationException };
            }
            stream = ssl;
        }
        return new RespConnection(socket, stream, $"{host}:{port}", limits ?? RespLimits.Default)
        {
            CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(5),
        };
    }

    public Task<RespValue> ExecuteAsync(params string[] args)
    {
        var encoded = new ReadOnlyMemory<byte>[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            encoded[i] = Encoding.UTF8.GetBytes(args[i]);
        }
        return ExecuteAsync(encoded);
    }

    /// <summary>Sends one command (array of bulk strings) and returns its reply, which may be an error value.</summary>
    /// <exception cref="RespConnectionException">The connection broke or the reply timed out.</exception>
    public async Task<RespValue> ExecuteAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, CancellationToken cancellationToken = default)
    {
        var command = new PendingCommand(Encode(args));
        if (_failure is not null || !_outgoing.Writer.TryWrite(command))
        {
            throw new RespConnectionException(Broken().Message) { NotSent = true };
        }
        // The watchdog fails the connection, and with it this command, when the reply is late.
        return await (cancellationToken.CanBeCanceled ? command.Reply.Task.WaitAsync(cancellationToken) : command.Reply.Task);
    }

    private void CheckTimeout()
    {
        // This process may itself have been stopped (SIGSTOP, a long GC pause, a stalled VM): a tick that comes far
        // later than the period means so. That time is not the peer's fault, so every command waits a whole timeout
        // from the moment this process runs again, counted from the tick that noticed the stall.
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_lastTick, now) > WatchdogPeriod * 5)
        {
            _resumedAt = now;
        }
        _lastTick = now;
        // Bytes waiting in the socket are replies the read loop has not reached yet: the peer did answer.
        long oldestQueuedAt;
        lock (_replyGate)
        {
            if (!_awaitingReply.TryPeek(out var oldest))
            {
                return;
            }
            oldestQueuedAt = oldest.QueuedAt;
        }
        if (Stopwatch.GetElapsedTime(Math.Max(oldestQueuedAt, _resumedAt), now) > CommandTimeout && !RepliesWaiting())
        {
            Fail(new RespConnectionException($"{Endpoint} did not reply within {CommandTimeout.TotalMilliseconds:0} ms"));
        }
    }

    private static byte[] Encode(IReadOnlyList<ReadOnlyMemory<byte>> args)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new RespWriter(buffer);
        writer.WriteArrayHeader(args.Count);
        foreach (var arg in args)
        {
            writer.WriteBulkString(arg.Span);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private async Task WriteLoopAsync()
    {
        var output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        try
        {
            var reader = _outgoing.Reader;
            while (await reader.WaitToReadAsync(_closed.Token))
            {
                // Everything queued so far goes out in one flush: natural batching under load.
                while (reader.TryRead(out var command))
                {
                    // Enqueue before writing: the reply can not arrive before the request is sent.
                    bool awaiting;
                    lock (_replyGate)
                    {
                        awaiting = _failure is null;
                        if (awaiting)
                        {
                            _awaitingReply.Enqueue(command);
                        }
                    }
                    if (!awaiting)
                    {
                        // Failed between our read of the queue and this enqueue: never written, so certainly not run.
                        command.Reply.TrySetException(new RespConnectionException(Broken().Message) { NotSent = true });
                        return;
                    }
                    output.Write(command.Frame);
                }
                await output.FlushAsync(_closed.Token);
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(_closed.Token);
                var consumed = DispatchReplies(read.Buffer);
                input.AdvanceTo(consumed, read.Buffer.End);
                if (read.IsCompleted)
                {
                    Fail(new RespConnectionException($"{Endpoint} closed the connection"));
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private SequencePosition DispatchReplies(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (RespReplyParser.TryParse(ref reader, _limits, out var reply))
        {
            PendingCommand? command;
            lock (_replyGate)
            {
                if (_failure is not null)
                {
                    // Failed meanwhile (a timeout, or a continuation that closed this connection): the awaiting
                    // commands have their error already, and what is left in the buffer answers none of them.
                    break;
                }
                if (!_awaitingReply.TryDequeue(out command))
                {
                    throw new RespProtocolException("Protocol error: reply without a request");
                }
            }
            // Outside the gate: the caller's continuation may run right here.
            command.Reply.TrySetResult(reply);
        }
        return reader.Position;
    }

    private void Fail(Exception reason)
    {
        var failure = reason as RespConnectionException ?? new RespConnectionException($"connection to {Endpoint} failed: {reason.Message}", reason);
        PendingCommand[] awaiting;
        lock (_replyGate)
        {
            if (_failure is not null)
            {
                return;
            }
            _failure = failure;
            awaiting = [.. _awaitingReply];
            _awaitingReply.Clear();
        }
        _watchdog.Dispose();
        _outgoing.Writer.TryComplete();
        _closed.Cancel();
        _socket.Dispose();
        foreach (var command in awaiting)
        {
            command.Reply.TrySetException(failure);
        }
        // Still queued, so never written: certainly not run, which lets a caller send them elsewhere.
        var unsent = new RespConnectionException(failure.Message, failure) { NotSent = true };
        while (_outgoing.Reader.TryRead(out var command))
        {
            command.Reply.TrySetException(unsent);
        }
    }

    private bool RepliesWaiting()
    {
        try
        {
            return _socket.Available > 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private RespConnectionException Broken() => _failure as RespConnectionException ?? new RespConnectionException($"connection to {Endpoint} is closed");

    public ValueTask DisposeAsync()
    {
        Fail(new RespConnectionException($"connection to {Endpoint} was closed locally"));
        return _stream.DisposeAsync();
    }

    private sealed class PendingCommand(byte[] frame)
    {
        public byte[] Frame { get; } = frame;

        /// <summary>When the caller issued it (<see cref="Stopwatch"/> timestamp), for the timeout.</summary>
        public long QueuedAt { get; } = Stopwatch.GetTimestamp();

        /// <remarks>
        /// Continuations hop to the thread pool. Running them inline on the read loop was faster, but made the clock
        /// nemesis find non-linearizable keys and the local cluster hang on shutdown; see ADR 0011.
        /// </remarks>
        public TaskCompletionSource<RespValue> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
