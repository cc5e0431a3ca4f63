using System.Net;
using System.Net.Sockets;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Net;

/// <summary>
/// Per-connection state and command execution for one server role (coordinator or node).
/// The server calls <see cref="ExecuteAsync"/> for each request in arrival order, never concurrently for one
/// session, and flushes the replies once per received batch.
/// </summary>
/// <remarks>
/// The facts CLIENT LIST shows (name, last command, idle time, protocol) are written by the session's own request
/// loop (the time of the last activity also by its send loop) and read by other connections and the idle sweep
/// without a lock: each is a single reference or 64-bit value, so a reader sees an old or a new value, never a torn
/// one, and a slightly stale line is what Redis shows too.
/// </remarks>
public abstract class RespSession
{
    private static long s_nextId;

    private readonly long _createdTicks = Environment.TickCount64;
    private long _lastActiveTicks;
    private long _totalCommands;
    private RespCommand _lastCommand;
    private string? _lastCommandName;
    private Socket? _socket;
    private int _killed;
    private bool _awaitingInput;
    private bool _clusterLink;

    protected RespSession(EndPoint? remoteEndPoint)
    {
        RemoteEndPoint = remoteEndPoint;
        Address = FormatAddress(remoteEndPoint);
        Writer = new RespWriter(new System.Buffers.ArrayBufferWriter<byte>(1));
        _lastActiveTicks = _createdTicks;
    }

    /// <summary>Unique per process, like Redis' client id.</summary>
    public long Id { get; } = Interlocked.Increment(ref s_nextId);

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The server's address this connection came in on (null for sessions not attached to a server).</summary>
    public EndPoint? LocalEndPoint { get; private set; }

    /// <summary>The client's address as Redis prints it: <c>ip:port</c>, IPv6 in brackets; empty when unknown.</summary>
    public string Address { get; }

    /// <summary>The local address as Redis prints it (<c>laddr=</c>); empty when unknown.</summary>
    public string LocalAddress { get; private set; } = "";

    /// <summary>The server this session belongs to; null for sessions driven directly (unit tests).</summary>
    public RespServer? Server { get; private set; }

    /// <summary>The limits in force: the server's, or the defaults for a session not attached to one.</summary>
    public ServerLimits Limits => Server?.Limits ?? ServerLimits.Default;

    /// <summary>The reply writer; points at the connection's output pipe during <see cref="ExecuteAsync"/>.</summary>
    public RespWriter Writer { get; }

    /// <summary>Set by a command (QUIT, CLIENT KILL of itself) to close the connection once the pending replies are flushed.</summary>
    public bool CloseRequested { get; protected set; }

    /// <summary>Client name from CLIENT SETNAME or HELLO SETNAME.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// False until AUTH succeeds when the server requires a password; true from the start otherwise (Redis' implicit
    /// login as the passwordless default user).
    /// </summary>
    public bool Authenticated { get; protected set; } = true;

    /// <summary>The user this connection is authenticated as (AUTH, HELLO AUTH).</summary>
    public string User { get; protected set; } = NoPasswordAuthenticator.DefaultUser;

    /// <summary>CLIENT SETINFO LIB-NAME; null when not set.</summary>
    public string? LibraryName { get; protected set; }

    /// <summary>CLIENT SETINFO LIB-VER; null when not set.</summary>
    public string? LibraryVersion { get; protected set; }

    /// <summary>Seconds since the connection was accepted (<c>age=</c>).</summary>
    public long AgeSeconds => (Environment.TickCount64 - _createdTicks) / 1000;

    /// <summary>
    /// Seconds since the connection last received or sent bytes or ran a command (<c>idle=</c>, Redis'
    /// <c>lastinteraction</c>); the idle timeout closes the connection when this passes it.
    /// </summary>
    public long IdleSeconds => IdleMilliseconds / 1000;

    internal long IdleMilliseconds => Environment.TickCount64 - Volatile.Read(ref _lastActiveTicks);

    /// <summary>
    /// True while the session's loop waits for the client's next bytes, false while it parses and executes: a command
    /// that runs long (a KEYS over a large keyspace, a forward that waits for a quorum) is never idle.
    /// </summary>
    internal bool AwaitingInput
    {
        get => Volatile.Read(ref _awaitingInput);
        set => Volatile.Write(ref _awaitingInput, value);
    }

    /// <summary>
    /// True once the connection carried cluster traffic: another node's forwards, replication or repair, or a node's
    /// registration and heartbeats to the coordinator. The idle timeout spares such links, as Redis spares its
    /// replication links: closing one while idle would race the next request sent on it and count against the peer.
    /// </summary>
    /// <remarks>
    /// Any client may send those commands; that is no way around a limit, since the timeout only reclaims forgotten
    /// connections (a client that wants to stay can send a PING now and then) and <c>maxclients</c> still counts it.
    /// </remarks>
    public bool IsClusterLink
    {
        get => Volatile.Read(ref _clusterLink);
        private set => Volatile.Write(ref _clusterLink, value);
    }

    /// <summary>The connection's reply output; null for sessions not attached to a server.</summary>
    internal ConnectionOutput? Output { get; set; }

    /// <summary>Reply bytes waiting to be sent to this client (CLIENT LIST <c>omem=</c>).</summary>
    public long OutputPending => Output?.Pending ?? 0;

    /// <summary>Commands executed on this connection (<c>tot-cmds=</c>).</summary>
    public long TotalCommands => _totalCommands;

    /// <summary>The last command's name as CLIENT LIST shows it: lower case, <c>client|list</c> for subcommands, <c>NULL</c> before any.</summary>
    public string LastCommandName => _lastCommandName ?? CommandNames.Of(_lastCommand);

    /// <summary>True once CLIENT KILL (or server shutdown) closed this connection from outside.</summary>
    public bool IsKilled => Volatile.Read(ref _killed) != 0;

    /// <summary>
    /// Executes one request and writes exactly one reply to <see cref="Writer"/>. Arguments are valid only until
    /// the returned task completes. Must not throw for bad requests: reply with an error instead; an exception
    /// closes the connection.
    /// </summary>
    public abstract ValueTask ExecuteAsync(RespRequest request);

    /// <summary>Called once when the connection closes, whatever the reason.</summary>
    public virtual void OnClosed() { }

    /// <summary>
    /// Records <paramref name="command"/> as the last one (CLIENT LIST <c>cmd=</c>, <c>idle=</c>). Called once per
    /// request on the request path: no allocation, no lock, no atomic instruction (only this session writes).
    /// </summary>
    protected void RecordCommand(RespCommand command)
    {
        _lastCommand = command;
        _lastCommandName = null;
        _lastActiveTicks = Environment.TickCount64;
        _totalCommands++;
    }

    /// <summary>Marks the connection as a link between RingKV processes (<see cref="IsClusterLink"/>); for the role's cluster commands.</summary>
    protected void MarkClusterLink()
    {
        if (!_clusterLink)
        {
            IsClusterLink = true;
        }
    }

    /// <summary>True when bytes the session has not read yet wait in the socket (the idle sweep must not close it then).</summary>
    internal bool HasUnreadInput()
    {
        try
        {
            return _socket?.Available > 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Records traffic on the connection (bytes received or sent) for <see cref="IdleSeconds"/>; any thread.</summary>
    internal void MarkActive() => Volatile.Write(ref _lastActiveTicks, Environment.TickCount64);

    /// <summary>Refines the last command with its subcommand's full name (<c>client|list</c>); a cached string, not built per call.</summary>
    protected void RecordSubcommand(string fullName) => _lastCommandName = fullName;

    /// <summary>Binds the session to its server and socket; called once by <see cref="RespServer"/> before the first request.</summary>
    internal void Attach(RespServer server, Socket socket)
    {
        Server = server;
        Authenticated = !server.Authenticator.DefaultUserHasPassword;
        _socket = socket;
        LocalEndPoint = socket.LocalEndPoint;
        LocalAddress = FormatAddress(LocalEndPoint);
    }

    /// <summary>
    /// Closes the connection from another thread: shuts the socket down so the session's pending read ends and the
    /// peer sees the close. Returns false when it was killed already. Never throws.
    /// </summary>
    internal bool Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) != 0)
        {
            return false;
        }
        try
        {
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer or by the session's own loop: nothing left to shut.
        }
        return true;
    }

    private static string FormatAddress(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => new IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString(),
        IPEndPoint ip => ip.ToString(),
        null => "",
        _ => endPoint.ToString() ?? "",
    };
}
