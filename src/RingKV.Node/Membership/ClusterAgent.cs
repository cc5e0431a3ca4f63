using Microsoft.Extensions.Logging;
using RingKV.Cluster.Map;
using RingKV.Net;

namespace RingKV.Node.Membership;

/// <summary>
/// The node's link to the coordinator: registers, heartbeats, and keeps the newest cluster map it has seen.
/// </summary>
/// <remarks>
/// The data plane never waits on this: requests use <see cref="Map"/>, the last map seen, and go on being served
/// while the coordinator is unreachable. A heartbeat reply carries the coordinator's epoch; a newer epoch triggers a
/// map fetch. A coordinator that no longer knows us (it restarted without its data) answers UNKNOWNNODE and we
/// register again, accepting the map it returns even if its epoch is lower, since it is the authority.
/// </remarks>
public sealed class ClusterAgent : IAsyncDisposable
{
    private readonly NodeOptions _options;
    private readonly RespConnectionPool _pool;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ClusterMapHolder _map = new();
    private Task? _loop;

    public ClusterAgent(NodeOptions options, RespConnectionPool pool, ILogger logger)
    {
        _options = options;
        _pool = pool;
        _logger = logger;
    }

    public ClusterMap Map => _map.Current;

    /// <summary>Completes once the first registration succeeded.</summary>
    public Task Registered => _registered.Task;

    public void Start() => _loop = RunAsync();

    /// <summary>Replaces the map when <paramref name="next"/> is newer. Safe to call concurrently.</summary>
    public bool Offer(ClusterMap next)
    {
        if (!_map.Offer(next))
        {
            return false;
        }
        _logger.LogInformation("cluster map epoch {Epoch}: {Nodes}", next.Epoch, string.Join(", ", next.Nodes.Select(n => $"{n.Id}={MapReplies.StateName(n.State)}")));
        return true;
    }

    private async Task RunAsync()
    {
        var registered = false;
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        do
        {
            try
            {
                registered = registered ? await HeartbeatAsync() : await RegisterAsync();
            }
            catch (Exception ex) when (ex is RespConnectionException or FormatException)
            {
                _logger.LogDebug("coordinator {Coordinator} unreachable: {Message}", _options.Coordinator, ex.Message);
            }
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> RegisterAsync()
    {
        var reply = await _pool.ExecuteAsync(_options.Coordinator, "REGISTER_NODE", _options.Id, _options.AdvertisedHost, _options.Port.ToString());
        if (reply.IsError)
        {
            _logger.LogWarning("registration refused: {Error}", reply.AsString());
            return false;
        }
        var map = ClusterMap.FromJson(reply.AsString()!);
        if (!Offer(map))
        {
            _map.Replace(map);
        }
        _registered.TrySetResult();
        return true;
    }

    private async Task<bool> HeartbeatAsync()
    {
        var reply = await _pool.ExecuteAsync(_options.Coordinator, "HEARTBEAT", _options.Id, Map.Epoch.ToString());
        if (reply.IsError)
        {
            _logger.LogWarning("coordinator no longer knows this node ({Error}); registering again", reply.AsString());
            return await RegisterAsync();
        }
        if (reply.Integer > Map.Epoch)
        {
            var mapReply = await _pool.ExecuteAsync(_options.Coordinator, "CLUSTER_MAP");
            if (!mapReply.IsError)
            {
                Offer(ClusterMap.FromJson(mapReply.AsString()!));
            }
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        _stopping.Dispose();
    }
}
