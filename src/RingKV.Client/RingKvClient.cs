using System.Text;
using RingKV.Protocol.Commands;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Protocol;

namespace RingKV.Client;

/// <summary>
/// Cluster-aware client: keeps the cluster map, sends each key's command straight to the key's primary over
/// pooled pipelined connections, and fails over to the next replica at once when a node does not answer.
/// </summary>
/// <remarks>
/// Thread-safe; create one per process and share it. The map comes from any seed (the coordinator or any node,
/// which all answer <c>CLUSTER_MAP</c>) and is refreshed in the background and after failures; a newer epoch
/// replaces the old map atomically. Routing to a non-primary is still correct (nodes forward), only slower.
/// </remarks>
public sealed class RingKvClient : IAsyncDisposable
{
    private readonly List<string> _seeds;
    private readonly RespConnectionPool _pool;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _refresher;
    private readonly ClusterMapHolder _map = new();
    // Nodes that left a request unanswered, until when they are tried last (see IsSuspect).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _silentUntil = new();

    /// <summary>How long a node that left a request unanswered is tried after the other replicas.</summary>
    private static readonly TimeSpan SilenceMemory = TimeSpan.FromSeconds(2);

    private RingKvClient(IEnumerable<string> seeds, RingKvClientOptions options)
    {
        _seeds = [.. seeds];
        Options = options;
        _pool = new RespConnectionPool
        {
            ConnectTimeout = options.ConnectTimeout,
            CommandTimeout = options.CommandTimeout,
            Tls = options.Tls,
            // AUTH first: until it succeeds a protected server answers nothing else.
            Handshake = [.. options.Password is { } password ? [new[] { "AUTH", password }] : Array.Empty<string[]>(),
                .. options.Consistency is { } level ? [new[] { "CONSISTENCY", level.ToString().ToUpperInvariant() }] : Array.Empty<string[]>()],
        };
        _refresher = RefreshPeriodicallyAsync();
    }

    public RingKvClientOptions Options { get; }

    /// <summary>The newest cluster map this client has seen.</summary>
    public ClusterMap Map => _map.Current;

    /// <param name="seeds">host:port of the coordinator and/or any nodes.</param>
    /// <exception cref="RingKvException">No seed answered with a cluster map.</exception>
    public static async Task<RingKvClient> ConnectAsync(IEnumerable<string> seeds, RingKvClientOptions? options = null)
    {
        var client = new RingKvClient(seeds, options ?? new RingKvClientOptions());
        try
        {
            await client.RefreshMapAsync();
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public static Task<RingKvClient> ConnectAsync(string seed, RingKvClientOptions? options = null) => ConnectAsync([seed], options);

    public async Task<string?> GetAsync(string key)
    {
        var reply = await ExecuteAsync(key, "GET", key);
        return reply.IsNull ? null : reply.AsString();
    }

    public async Task<byte[]?> GetBytesAsync(byte[] key)
    {
        var reply = await ExecuteAsync(key, [Encoding.ASCII.GetBytes("GET"), key]);
        return reply.IsNull ? null : reply.Bytes;
    }

    public Task SetAsync(string key, string value, TimeSpan? ttl = null) =>
        ttl is { } t ? ExecuteAsync(key, "SET", key, value, "PX", ((long)t.TotalMilliseconds).ToString()) : ExecuteAsync(key, "SET", key, value);

    public async Task<bool> DeleteAsync(string key) => (await ExecuteAsync(key, "DEL", key)).Integer > 0;

    /// <summary>Runs a command on the primary of <paramref name="routingKey"/>, failing over along its preference list.</summary>
    /// <exception cref="RingKvException">The node replied with an error, or no replica was reachable.</exception>
    public Task<RespValue> ExecuteAsync(string routingKey, params string[] command) =>
        ExecuteAsync(Encoding.UTF8.GetBytes(routingKey), [.. command.Select(c => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(c))]);

    public async Task<RespValue> ExecuteAsync(byte[] routingKey, ReadOnlyMemory<byte>[] command)
    {
        var replicas = Map.PreferenceListForKey(routingKey);
        if (replicas.Length == 0)
        {
            await RefreshMapAsync();
            replicas = Map.PreferenceListForKey(routingKey);
        }
        var failures = new List<string>();
        // UP nodes first in preference order, then the rest: the map may be behind reality either way.
        foreach (var node in replicas.Where(n => n.IsUp && !IsSuspect(n)).Concat(replicas.Where(n => !n.IsUp || IsSuspect(n))))
        {
            try
            {
                var reply = await _pool.ExecuteAsync(node.Endpoint, command);
                if (reply.IsError && reply.AsString() is { } error && error.StartsWith("CLUSTERDOWN", StringComparison.Ordinal))
                {
                    // That node can not route (it has no map yet, or sees no replica): another one may.
                    failures.Add($"{node.Id}: {error}");
                    continue;
                }
                return reply.IsError ? throw new RingKvException(reply.AsString() ?? "error") : reply;
            }
            catch (RespConnectionException ex) when (ex.NotSent || CommandTable.IsPureRead(CommandTable.Lookup(command[0].Span)))
            {
                failures.Add($"{node.Id}: {ex.Message}");
            }
            catch (RespConnectionException ex)
            {
                // Sent, unanswered: a write may have run there, and running it on another node could apply it twice.
                _silentUntil[node.Endpoint] = Environment.TickCount64 + (long)SilenceMemory.TotalMilliseconds;
                _ = RefreshMapQuietlyAsync();
                throw new RingKvException($"{node.Id} did not answer; the write may or may not have been applied ({ex.Message})", ex);
            }
        }
        _ = RefreshMapQuietlyAsync();
        throw new RingKvException("no replica reachable (" + (failures.Count == 0 ? "cluster has no nodes" : string.Join("; ", failures)) + ")");
    }

    /// <summary>
    /// True when <paramref name="node"/> is tried after the others: a connection to it failed recently (the pool backs
    /// off), or it took a request and did not answer within <see cref="SilenceMemory"/>. A node killed mid-request may
    /// still accept connections while it dies; the retry of a write it left ambiguous goes to the next replica instead.
    /// </summary>
    private bool IsSuspect(NodeEntry node) => _pool.IsBackingOff(node.Endpoint)
        || (_silentUntil.TryGetValue(node.Endpoint, out var until) && Environment.TickCount64 < until);

    /// <summary>Sends a command to one endpoint (the coordinator, or a given node), without routing.</summary>
    public async Task<RespValue> ExecuteOnAsync(string endpoint, params string[] command)
    {
        try
        {
            return await _pool.ExecuteAsync(endpoint, command);
        }
        catch (RespConnectionException ex)
        {
            throw new RingKvException(ex.Message, ex);
        }
    }

    /// <summary>Fetches the map from the first seed or known node that answers.</summary>
    /// <exception cref="RingKvException">Nothing answered.</exception>
    public async Task RefreshMapAsync()
    {
        var errors = new List<string>();
        foreach (var endpoint in _seeds.Concat(Map.Nodes.Select(n => n.Endpoint)).Distinct())
        {
            try
            {
                var reply = await _pool.ExecuteAsync(endpoint, "CLUSTER_MAP");
                if (!reply.IsError && reply.AsString() is { } json)
                {
                    _map.Offer(ClusterMap.FromJson(json));
                    return;
                }
                errors.Add($"{endpoint}: {reply}");
            }
            catch (Exception ex) when (ex is RespConnectionException or FormatException)
            {
                errors.Add($"{endpoint}: {ex.Message}");
            }
        }
        throw new RingKvException("cannot fetch the cluster map: " + string.Join("; ", errors));
    }

    private async Task RefreshMapQuietlyAsync()
    {
        try
        {
            await RefreshMapAsync();
        }
        catch (RingKvException)
        {
            // Keep the last map: the data plane works without the coordinator.
        }
    }

    private async Task RefreshPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(Options.MapRefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await RefreshMapQuietlyAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _refresher;
        await _pool.DisposeAsync();
        _stopping.Dispose();
    }
}
