using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RingKV.Protocol;

namespace RingKV.Net;

/// <summary>
/// Multiplexed, pipelined connections per peer endpoint (<see cref="ConnectionsPerEndpoint"/>, used round-robin),
/// reopened on demand after they break.
/// </summary>
/// <remarks>
/// <para>Commands go out on a connection in the order of the calls, including the calls made while it is still being
/// opened: they wait their turn one behind the other rather than all resuming at once when it opens. The replicator
/// relies on this: it queues one key's writes in version order, and a peer must receive them so.</para>
/// One pipelined connection per peer is enough for requests the peer answers without waiting (replication);
/// requests the peer executes slowly and in order (forwards that wait for a quorum) need several connections, or
/// each waits behind the one before it. A peer that refused a connection is not retried for
/// <see cref="RetryBackoff"/>, so a dead node costs callers nothing but a fast failure while it stays dead.
/// Thread-safe.
/// </remarks>
public sealed class RespConnectionPool : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Endpoint, int Lane), Lazy<Task<RespConnection>>> _connections = new();
    // Per lane, the turn of the last call still waiting to queue its command (completed when nobody waits).
    private readonly ConcurrentDictionary<(string Endpoint, int Lane), StrongBox<Task>> _turns = new();
    private readonly ConcurrentDictionary<string, long> _unreachableUntil = new();
    private uint _nextLane;

    /// <summary>Connections kept to each endpoint; commands are spread over them round-robin.</summary>
    public int ConnectionsPerEndpoint { get; init; } = 1;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public RespLimits Limits { get; init; } = RespLimits.Default;

    /// <summary>Dial with TLS (<see cref="TlsSettings.ClientOptions"/>); null: plaintext.</summary>
    public TlsSettings? Tls { get; init; }

    /// <summary>Commands sent on every new connection before it is handed out (e.g. AUTH).</summary>
    public IReadOnlyList<string[]> Handshake { get; init; } = [];

    /// <exception cref="RespConnectionException">The endpoint is unreachable.</exception>
    public Task<RespValue> ExecuteAsync(string endpoint, IReadOnlyList<ReadOnlyMemory<byte>> args, CancellationToken cancellationToken = default)
    {
        var lane = (endpoint, NextLane());
        var turn = _turns.GetOrAdd(lane, static _ => new StrongBox<Task>(Task.CompletedTask));
        // The common case: the connection is open and no earlier call is waiting, so the command is queued on it now,
        // synchronously, before this method returns.
        if (turn.Value!.IsCompleted && _connections.TryGetValue(lane, out var entry) && entry.IsValueCreated
            && entry.Value.IsCompletedSuccessfully && entry.Value.Result.IsConnected)
        {
            return entry.Value.Result.ExecuteAsync(args, cancellationToken);
        }
        return ExecuteInTurnAsync(lane, turn, args, cancellationToken);
    }

    /// <summary>Waits for the calls before this one to queue their commands (and for the connection to open), then queues.</summary>
    private async Task<RespValue> ExecuteInTurnAsync((string Endpoint, int Lane) lane, StrongBox<Task> turn, IReadOnlyList<ReadOnlyMemory<byte>> args, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = Interlocked.Exchange(ref turn.Value, mine.Task);
        Task<RespValue> reply;
        try
        {
            await previous!.WaitAsync(cancellationToken);
            RespConnection connection;
            try
            {
                connection = await GetAsync(lane, cancellationToken);
            }
            catch (RespConnectionException ex) when (!ex.NotSent)
            {
                throw new RespConnectionException(ex.Message, ex) { NotSent = true, Refused = ex.Refused };
            }
            reply = connection.ExecuteAsync(args, cancellationToken);
        }
        finally
        {
            // Queued (or given up): the next call may go.
            mine.SetResult();
        }
        return await reply;
    }

    public Task<RespValue> ExecuteAsync(string endpoint, params string[] args) =>
        ExecuteAsync(endpoint, args.Select(a => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(a)).ToArray());

    /// <summary>True when a recent connect to <paramref name="endpoint"/> failed and it is in back-off.</summary>
    public bool IsBackingOff(string endpoint) =>
        _unreachableUntil.TryGetValue(endpoint, out var until) && Environment.TickCount64 < until;

    /// <summary>An open connection to <paramref name="endpoint"/> (on the next lane), opened if need be.</summary>
    public Task<RespConnection> GetAsync(string endpoint, CancellationToken cancellationToken = default) =>
        GetAsync((endpoint, NextLane()), cancellationToken);

    private int NextLane() => ConnectionsPerEndpoint == 1 ? 0 : (int)(Interlocked.Increment(ref _nextLane) % (uint)ConnectionsPerEndpoint);

    private async Task<RespConnection> GetAsync((string Endpoint, int Lane) key, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = _connections.GetOrAdd(key, k => new Lazy<Task<RespConnection>>(() => OpenAsync(k.Endpoint)));
            RespConnection connection;
            try
            {
                connection = await entry.Value.WaitAsync(cancellationToken);
            }
            catch (RespConnectionException)
            {
                _connections.TryRemove(new KeyValuePair<(string, int), Lazy<Task<RespConnection>>>(key, entry));
                throw;
            }
            if (connection.IsConnected)
            {
                return connection;
            }
            // Broken since it was opened: replace it once, atomically, so concurrent callers share the new one.
            _connections.TryRemove(new KeyValuePair<(string, int), Lazy<Task<RespConnection>>>(key, entry));
        }
    }

    private async Task<RespConnection> OpenAsync(string endpoint)
    {
        if (IsBackingOff(endpoint))
        {
            throw new RespConnectionException($"{endpoint} is unreachable (recent connection failure)");
        }
        var (host, port) = EndpointParser.Parse(endpoint);
        try
        {
            var connection = await RespConnection.ConnectAsync(host, port, ConnectTimeout, Limits, CommandTimeout, tls: Tls);
            foreach (var command in Handshake)
            {
                var reply = await connection.ExecuteAsync(command);
                if (reply.IsError)
                {
                    await connection.DisposeAsync();
                    throw new RespConnectionException($"{endpoint} refused {command[0]}: {reply.AsString()}") { NotSent = true, Refused = true };
                }
            }
            _unreachableUntil.TryRemove(endpoint, out _);
            return connection;
        }
        catch (RespConnectionException)
        {
            _unreachableUntil[endpoint] = Environment.TickCount64 + (long)RetryBackoff.TotalMilliseconds;
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in _connections.Values)
        {
            if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
            {
                await entry.Value.Result.DisposeAsync();
            }
        }
        _connections.Clear();
    }
}
