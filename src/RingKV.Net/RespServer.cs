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
/// Why not Kestrel's connection handler: a probe on our 2-core machines measured about 0.7x Redis' throughput
/// for Kestrel versus about 1.0x for a bare socket loop (docs/adr/0002-resp-server-on-sockets.md).
/// Each connection parses every complete request in its buffer, executes them in order, and flushes all replies
/// with one write, so pipelined clients cost one syscall per batch. A protocol error is answered with Redis'
/// error text and closes that connection only. Open sessions are listed in <see cref="Clients"/> (CLIENT LIST/KILL).
/// </remarks>
public sealed class RespServer : IAsyncDisposable
{
    /// <summary>The per-connection receive buffer (CLIENT LIST <c>rbs=</c>).</summary>
    public const int ReadBufferSize = 16 * 1024;

    private readonly Socket _listener;
    private readonly Func<EndPoint?, RespSession> _sessionFactory;
    private readonly RespLimits _limits;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _acceptLoop;

    public RespServer(IPEndPoint endPoint, Func<EndPoint?, RespSession> sessionFactory, RespLimits limits, ILogger logger)
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

    /// <summary>Upper bound of simultaneously open client connections (Redis <c>maxclients</c>); may change while running.</summary>
    public int MaxConnections
    {
        get => Clients.MaxClients;
        set => Clients.MaxClients = value;
    }

    public int ConnectionCount => Clients.Count;

    /// <summary>The open sessions; thread-safe.</summary>
    public ClientRegistry Clients { get; } = new();

    /// <summary>Checks AUTH and HELLO AUTH credentials; Redis' passwordless default user unless a role sets another.</summary>
    public IAuthenticator Authenticator { get; init; } = NoPasswordAuthenticator.Instance;

    public void Start()
    {
        _listener.Listen(512);
        _acceptLoop = AcceptLoopAsync();
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
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        if (!Clients.TryReserve())
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
        var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024));
        session.Writer.Reset(output);
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
            await output.CompleteAsync();
        }
    }

    private async Task RunSessionAsync(RespSession session, PipeReader input, PipeWriter output)
    {
        var request = new RespRequest();
        while (true)
        {
            var read = await input.ReadAsync(_stopping.Token);
            var buffer = read.Buffer;
            var consumed = buffer.Start;
            string? protocolError = null;
            // A session killed from another connection stops at the next request; its socket is already shut.
            while (!session.CloseRequested && !session.IsKilled)
            {
                bool parsed;
                try
                {
                    parsed = TryParse(buffer.Slice(consumed), request, out consumed);
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
                var pending = session.ExecuteAsync(request);
                if (!pending.IsCompletedSuccessfully)
                {
                    await pending;
                }
                // Bound the reply backlog of a long pipeline: push it out before executing more.
                if (output.UnflushedBytes > 256 * 1024)
                {
                    await output.FlushAsync();
                }
            }
            if (protocolError is not null)
            {
                // Latin-1: the text may quote the offending byte ("expected '$', got '\xa4'"), which Redis sends raw.
                session.Writer.WriteError(System.Text.Encoding.Latin1.GetBytes("ERR " + protocolError));
            }
            await output.FlushAsync();
            if (protocolError is not null || session.CloseRequested || session.IsKilled)
            {
                return;
            }
            var unconsumed = buffer.Slice(consumed).Length;
            input.AdvanceTo(consumed, buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
            if (unconsumed > _limits.MaxBulkLength + _limits.MaxInlineLength)
            {
                // A single frame can never be this large; Redis calls this the query buffer limit.
                session.Writer.WriteError("ERR Protocol error: query buffer limit exceeded");
                await output.FlushAsync();
                return;
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

    private bool TryParse(ReadOnlySequence<byte> buffer, RespRequest request, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var parsed = RespRequestParser.TryParse(ref reader, request, _limits);
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
        foreach (var session in Clients.Snapshot())
        {
            session.Kill();
        }
        _stopping.Dispose();
    }
}
