using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RingKV.Protocol;

namespace RingKV.Net;

/// <summary>
/// A RESP server: a plain socket accept loop with one System.IO.Pipelines reader/writer pair per connection.
/// </summary>
/// <remarks>
/// <para>
/// Why not Kestrel's connection handler: a probe on our 2-core machines measured about 0.7x Redis' throughput
/// for Kestrel versus about 1.0x for a bare socket loop (docs/adr/0002-resp-server-on-sockets.md).
/// Each connection parses every complete request in its buffer, executes them in order, and flushes all replies
/// with one write, so pipelined clients cost one syscall per batch. A protocol error is answered with Redis'
/// error text and closes that connection only. Open sessions are listed in <see cref="Clients"/> (CLIENT LIST/KILL).
/// </para>
/// <para>
/// Every connection is held to <see cref="Limits"/> (docs/limits.md): framing limits while parsing, unparsed input
/// (query buffer) after each read, waiting replies (output buffer) after each flush, the connection count on accept,
/// idleness by a sweep over the open sessions. A connection over a limit is closed and logged; the others never notice.
/// </para>
/// </remarks>
public sealed class RespServer : IAsyncDisposable
{
    /// <summary>The per-connection receive buffer (CLIENT LIST <c>rbs=</c>).</summary>
    public const int ReadBufferSize = 16 * 1024;

    /// <summary>Replies a long pipeline accumulates before they are handed to the send loop mid-batch.</summary>
    private const int FlushThreshold = 256 * 1024;

    /// <summary>How long the last replies of a connection that is closing (QUIT, a protocol error) may take to leave.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly Func<EndPoint?, RespSession> _sessionFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private ServerLimits _limits;
    private Task? _acceptLoop;
    private Task? _idleSweep;

    public RespServer(IPEndPoint endPoint, Func<EndPoint?, RespSession> sessionFactory, ServerLimits limits, ILogger logger)
    {
        _sessionFactory = sessionFactory;
        _limits = limits;
        _logger = logger;
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(endPoint);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    /// <summary>The bound address (with the real port when 0 was requested).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The limits in force; CONFIG SET replaces them through <see cref="UpdateLimits"/>. Thread-safe.</summary>
    public ServerLimits Limits => Volatile.Read(ref _limits);

    public int ConnectionCount => Clients.Count;

    /// <summary>The open sessions; thread-safe.</summary>
    public ClientRegistry Clients { get; } = new();

    /// <summary>Passwords, the cluster secret and protected mode; open (Redis' passwordless default user) unless a role sets them.</summary>
    public ServerSecurity Security { get; init; } = ServerSecurity.Open;

    /// <summary>How long a client may take to complete the TLS handshake before it is dropped.</summary>
    public static readonly TimeSpan TlsHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Checks AUTH and HELLO AUTH credentials.</summary>
    public IAuthenticator Authenticator => Security.Authenticator;

    /// <summary>
    /// Replaces <see cref="Limits"/> with <paramref name="change"/> applied to them, atomically: two CONFIG SETs of
    /// different limits on two connections both take effect. <paramref name="change"/> may run more than once.
    /// A connection applies new limits from the next batch of requests it receives.
    /// </summary>
    public void UpdateLimits(Func<ServerLimits, ServerLimits> change)
    {
        while (true)
        {
            var current = Limits;
            if (Interlocked.CompareExchange(ref _limits, change(current), current) == current)
            {
                return;
            }
        }
    }

    public void Start()
    {
        _listener.Listen(512);
        _acceptLoop = AcceptLoopAsync();
        _idleSweep = IdleSweepAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                Log.AcceptFailed(_logger, ex);
                continue;
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        await using var network = new NetworkStream(socket, ownsSocket: true);
        // With TLS configured the port speaks only TLS: a plaintext client fails the handshake and is closed.
        await using var stream = Security.Tls is { Certificate: not null } tls ? await HandshakeAsync(network, tls) : network;
        if (stream is null)
        {
            return;
        }
        if (!Clients.TryReserve(Limits.MaxClients))
        {
            await stream.WriteAsync("-ERR max number of clients reached\r\n"u8.ToArray());
            return;
        }
        RespSession session;
        try
        {
            session = _sessionFactory(socket.RemoteEndPoint);
            session.Attach(this, socket);
        }
        catch
        {
            Clients.Release();
            throw;
        }
        Clients.Add(session);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096));
        var output = new ConnectionOutput(stream, session);
        session.Output = output;
        session.Writer.Reset(output.Writer);
        try
        {
            await RunSessionAsync(session, input, output);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away mid-request; nothing was acknowledged for the unfinished command.
        }
        catch (Exception ex) when (!session.IsKilled)
        {
            Log.ConnectionFailed(_logger, session.Id, ex);
        }
        catch (Exception)
        {
            // CLIENT KILL shut the socket under a running command: whatever failed next is the kill's doing.
        }
        finally
        {
            session.OnClosed();
            Clients.Remove(session);
            await input.CompleteAsync();
            await output.CompleteAsync(CloseGrace);
        }
    }

    /// <summary>The server side of a TLS handshake, bounded in time; null when it failed (the caller closes).</summary>
    private async Task<Stream?> HandshakeAsync(NetworkStream network, TlsSettings tls)
    {
        var ssl = new System.Net.Security.SslStream(network, leaveInnerStreamOpen: true);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(TlsHandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(tls.ServerOptions(), timeout.Token);
            return ssl;
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
        {
            Log.TlsHandshakeFailed(_logger, ex.Message);
            await ssl.DisposeAsync();
            return null;
        }
    }

    private async Task RunSessionAsync(RespSession session, PipeReader input, ConnectionOutput output)
    {
        var request = new RespRequest();
        while (true)
        {
            session.AwaitingInput = true;
            var read = await input.ReadAsync(_stopping.Token);
            session.AwaitingInput = false;
            session.MarkActive();
            // One set of limits for the whole batch, whatever CONFIG SET does meanwhile.
            var limits = Limits;
            var buffer = read.Buffer;
            var consumed = buffer.Start;
            string? protocolError = null;
            // A session killed from another connection stops at the next request; its socket is already shut.
            while (!session.CloseRequested && !session.IsKilled)
            {
                bool parsed;
                try
                {
                    parsed = TryParse(buffer.Slice(consumed), request, session.Authenticated ? limits.Protocol : RespLimits.Unauthenticated, out consumed);
                }
                catch (RespProtocolException ex)
                {
                    protocolError = ex.Message;
                    break;
                }
                if (!parsed)
                {
                    break;
                }
                if (request.Count == 0)
                {
                    continue;
                }
                if (CrossProtocolGuard.LooksLikeHttp(request))
                {
                    // At once and without a reply: nothing after this line may run, and a browser reads no answer.
                    // The name is one of the guard's few ASCII words (POST, Host:, an HTTP method), safe to log as it is.
                    Log.CrossProtocolAttack(_logger, session.Id, session.Address, request.GetString(0));
                    session.Kill();
                    return;
                }
                var pending = session.ExecuteAsync(request);
                if (!pending.IsCompletedSuccessfully)
                {
                    await pending;
                }
                // A long pipeline's replies start leaving before the batch ends; the limit is checked on the way.
                if (output.Writer.UnflushedBytes > FlushThreshold && !await FlushWithinLimitAsync(session, output, limits))
                {
                    return;
                }
            }
            if (protocolError is not null)
            {
                // Latin-1: the text may quote the offending byte ("expected '$', got '\xa4'"), which Redis sends raw.
                session.Writer.WriteError(System.Text.Encoding.Latin1.GetBytes("ERR " + protocolError));
            }
            if (!await FlushWithinLimitAsync(session, output, limits)
                || protocolError is not null || session.CloseRequested || session.IsKilled)
            {
                return;
            }
            var unconsumed = buffer.Slice(consumed).Length;
            input.AdvanceTo(consumed, buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
            if (unconsumed > limits.QueryBufferLimit)
            {
                // Without a reply, as Redis: the client is still sending, and reads nothing until it is done.
                Log.QueryBufferLimitReached(_logger, session.Id, session.Address, unconsumed, limits.QueryBufferLimit);
                session.Kill();
                return;
            }
        }
    }

    /// <summary>Flushes the replies written so far; false after closing a client whose waiting replies pass the output limit.</summary>
    private async ValueTask<bool> FlushWithinLimitAsync(RespSession session, ConnectionOutput output, ServerLimits limits)
    {
        var waiting = await output.FlushAsync();
        if (limits.OutputBufferLimit == 0 || waiting <= limits.OutputBufferLimit)
        {
            return true;
        }
        Log.OutputBufferLimitReached(_logger, session.Id, session.Address, waiting, limits.OutputBufferLimit);
        session.Kill();
        return false;
    }

    /// <summary>
    /// Closes connections idle past <see cref="ServerLimits.IdleTimeout"/>, as Redis' clientsCron does: about once a
    /// second, more often for a timeout of a few seconds so that none stays open much past it.
    /// </summary>
    private async Task IdleSweepAsync()
    {
        try
        {
            while (true)
            {
                var timeout = Limits.IdleTimeout;
                var period = timeout == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 50, 1000));
                await Task.Delay(period, _stopping.Token);
                if (timeout > TimeSpan.Zero)
                {
                    CloseIdle(timeout);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void CloseIdle(TimeSpan timeout)
    {
        var timeoutMs = (long)timeout.TotalMilliseconds;
        foreach (var session in Clients.Snapshot())
        {
            // A session that is executing is busy, not idle, and one with bytes in its socket is about to be. What is
            // left is a request still on the wire as the close goes out: any client of a server with a timeout must
            // expect that race, which is why links between RingKV processes are spared.
            var idle = session.IdleMilliseconds;
            if (idle >= timeoutMs && session.AwaitingInput && !session.IsClusterLink && !session.HasUnreadInput()
                && Clients.Remove(session) && session.Kill())
            {
                Log.IdleClientClosed(_logger, session.Id, session.Address, idle / 1000, timeoutMs / 1000);
            }
        }
    }

    /// <summary>
    /// Closes <paramref name="target"/>'s connection (CLIENT KILL) and unlists it at once, as Redis frees the client
    /// before replying. Use <see cref="RespSession.CloseRequested"/> instead for the calling session itself, whose
    /// reply must still be flushed. Returns false when it was gone already.
    /// </summary>
    internal bool Kill(RespSession target, RespSession killer)
    {
        Clients.Remove(target);
        if (!target.Kill())
        {
            return false;
        }
        Log.ClientKilled(_logger, target.Id, target.Address, killer.Id);
        return true;
    }

    /// <remarks>
    /// A connection that has not authenticated yet (with a password set) parses under
    /// <see cref="RespLimits.Unauthenticated"/>, as Redis 7 does: a stranger cannot make the server buffer a 512 MB
    /// argument before it has proved anything.
    /// </remarks>
    private static bool TryParse(ReadOnlySequence<byte> buffer, RespRequest request, RespLimits limits, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var parsed = RespRequestParser.TryParse(ref reader, request, limits);
        consumed = reader.Position;
        return parsed;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }
        if (_idleSweep is not null)
        {
            await _idleSweep;
        }
        foreach (var session in Clients.Snapshot())
        {
            session.Kill();
        }
        _stopping.Dispose();
    }
}
