using System.Collections.Concurrent;
using RingKV.Protocol;

namespace RingKV.Net;

/// <summary>
/// Multiplexed, pipelined connections per peer endpoint (<see cref="ConnectionsPerEndpoint"/>, used round-robin),
/// reopened on demand after they break.
/// </summary>
/// <remarks>
/// One pipelined connection per peer is enough for requests the peer answers without waiting (replication);
/// requests the peer executes slowly and in order (forwards that wait for a quorum) need several connections, or
/// each waits behind the one before it. A peer that refused a connection is not retried for
/// <see cref="RetryBackoff"/>, so a dead node costs callers nothing but a fast failure while it stays dead.
/// Thread-safe.
/// </remarks>
public sealed class RespConnectionPool : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Endpoint, int Lane), Lazy<Task<RespConnection>>> _connections = new();
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
    public async Task<RespValue> ExecuteAsync(string endpoint, IReadOnlyList<ReadOnlyMemory<byte>> args, CancellationToken cancellationToken = default)
    {
        RespConnection connection;
        try
        {
            connection = await GetAsync(endpoint, cancellationToken);
        }
        catch (RespConnectionException ex) when (!ex.NotSent)
        {
            throw new RespConnectionException(ex.Message, ex) { NotSent = true, Refused = ex.Refused };
        }
        return await connection.ExecuteAsync(args, cancellationToken);
    }

    public Task<RespValue> ExecuteAsync(string endpoint, params string[] args) =>
        ExecuteAsync(endpoint, args.Select(a => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(a)).ToArray());

    /// <summary>True when a recent connect to <paramref name="endpoint"/> failed and it is in back-off.</summary>
    public bool IsBackingOff(string endpoint) =>
        _unreachableUntil.TryGetValue(endpoint, out var until) && Environment.TickCount64 < until;

    public async Task<RespConnection> GetAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var lane = ConnectionsPerEndpoint == 1 ? 0 : (int)(Interlocked.Increment(ref _nextLane) % (uint)ConnectionsPerEndpoint);
            var key = (endpoint, lane);
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
