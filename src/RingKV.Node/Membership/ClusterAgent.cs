using Microsoft.Extensions.Logging;
using RingKV.Cluster.Client;
using RingKV.Cluster.Coordinator;
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
/// Every call goes through <see cref="Coordinators"/>, which sticks to the coordinator of the group that last
/// served one and moves on when it cannot serve (unreachable, or no leader); "the coordinator is unreachable"
/// means none of them could.
/// </remarks>
public sealed class ClusterAgent : IAsyncDisposable
{
    private static readonly Dictionary<string, long> NoPeers = [];

    private readonly NodeOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ClusterMapHolder _map = new();
    private Task? _loop;

    /// <param name="pool">Connections to the coordinators, with the node's credentials; not disposed here.</param>
    public ClusterAgent(NodeOptions options, RespConnectionPool pool, ILogger logger)
    {
        _options = options;
        Coordinators = new CoordinatorLink(options.Coordinators, pool, logger);
        _logger = logger;
        _clusterId = LoadClusterId();
    }

    public ClusterMap Map => _map.Current;

    public CoordinatorLink Coordinators { get; }

    /// <summary>Completes once the first registration succeeded.</summary>
    public Task Registered => _registered.Task;

    public void Start() => _loop = RunAsync();

    /// <summary>Replaces the map when <paramref name="next"/> is newer. Safe to call concurrently.</summary>
    public bool Offer(ClusterMap next)
    {
        var previous = _map.Current;
        if (!_map.Offer(next))
        {
            return false;
        }
        if (next.Find(_options.Id)?.Leaving == true)
        {
            _leaving = true;
        }
        // A transition publishes an epoch per batch of settled slots; those only matter at debug level.
        var level = previous.Transition?.Id == next.Transition?.Id && previous.Members.SequenceEqual(next.Members)
            && previous.Nodes.SequenceEqual(next.Nodes) ? LogLevel.Debug : LogLevel.Information;
        ClusterAgentLog.MapChanged(_logger, level, next.Epoch,
            string.Join(", ", next.Nodes.Select(n => $"{n.Id}={MapReplies.StateName(n.State)}/{next.StatusOf(n.Id).ToString().ToLowerInvariant()}")),
            next.Transition is { } t ? $"; transition {t.Id}, {t.Settled.Count}/{Placement.HashSlot.Count} slots settled" : "");
        return true;
    }

    /// <summary>
    /// The coordinator's barrier from the last heartbeat: every live node holds a map at least this new. Gainers
    /// copy slots only once it reaches their transition's epoch (docs/adr/0006-rebalancing-joint-quorums.md).
    /// </summary>
    public long Barrier => Volatile.Read(ref _barrier);

    /// <summary>True once this node has been decommissioned or removed: it no longer registers and holds no slots.</summary>
    public bool HasLeft => _left;

    private long _barrier;
    private string? _clusterId;
    private volatile bool _left;

    // Set once a map showed this node leaving: from then on "unknown node" means it has left, not that the
    // coordinator lost its data (the map that removed us may arrive before or after that heartbeat reply).
    private volatile bool _leaving;

    private async Task RunAsync()
    {
        var registered = false;
        var sinceFast = _options.HeartbeatInterval; // the first registration goes out at once
        // While the ring changes, heartbeats go faster so barriers (and so transitions) pass in a fraction of the
        // normal interval; the timer keeps its fast tick and slow heartbeats skip ticks.
        var fast = TimeSpan.FromMilliseconds(Math.Min(100, _options.HeartbeatInterval.TotalMilliseconds));
        using var timer = new PeriodicTimer(fast);
        do
        {
            sinceFast += fast;
            if (_left || ((!registered || Map.Transition is null) && sinceFast < _options.HeartbeatInterval))
            {
                continue;
            }
            sinceFast = TimeSpan.Zero;
            try
            {
                registered = registered ? await HeartbeatAsync() : await RegisterAsync();
            }
            catch (RespConnectionException ex) when (ex.Refused)
            {
                // Not a network problem: the coordinator answered and refused this node's credentials.
                ClusterAgentLog.CredentialsRefused(_logger, Coordinators.Current, ex.Message);
            }
            catch (Exception ex) when (ex is RespConnectionException or FormatException)
            {
                // Every coordinator of the list was tried (each failure is logged by the link).
                ClusterAgentLog.CoordinatorUnreachable(_logger, Coordinators.ToString(), ex.Message);
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
        string[] command = _clusterId is null
            ? ["REGISTER_NODE", _options.Id, _options.AdvertisedHost, _options.AdvertisedPort.ToString()]
            : ["REGISTER_NODE", _options.Id, _options.AdvertisedHost, _options.AdvertisedPort.ToString(), _clusterId];
        var reply = await Coordinators.ExecuteAsync(command);
        if (reply.IsError)
        {
            ClusterAgentLog.RegistrationRefused(_logger, Coordinators.Current, reply.AsString());
            return false;
        }
        var map = ClusterMap.FromJson(reply.AsString()!);
        if (_clusterId is null && map.ClusterId is not null)
        {
            RememberClusterId(map.ClusterId);
        }
        if (!Offer(map))
        {
            _map.Replace(map);
        }
        _registered.TrySetResult();
        return true;
    }

    // The cluster id lives next to the data it protects; a node without a data directory (memory storage) keeps
    // it for its lifetime, which is as long as its data lives.
    private string? ClusterIdPath => _options.Storage == StorageKind.RocksDb ? Path.Combine(_options.DataDirectory, "cluster-id") : null;

    private string? LoadClusterId() => ClusterIdPath is { } path && File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private void RememberClusterId(string id)
    {
        _clusterId = id;
        if (ClusterIdPath is { } path)
        {
            File.WriteAllText(path, id + "\n");
        }
    }

    /// <summary>Sends a read-only command to the coordinator, for the HTTP API's relays (OVERVIEW, REBALANCE STATUS).</summary>
    /// <exception cref="RespConnectionException">No coordinator can be reached.</exception>
    public Task<Protocol.RespValue> AskCoordinatorAsync(params string[] command) => Coordinators.ExecuteAsync(command);

    /// <summary>This node's figures as JSON (<see cref="Observability.NodeReport"/>), sent with each heartbeat; <c>{}</c> when null.</summary>
    public Func<string>? Report { get; set; }

    /// <summary>
    /// Milliseconds since each peer last answered this node's probes (<see cref="PeerProber.Silences"/>), sent with
    /// each heartbeat so the coordinator can tell a node cut off from it from a dead one; an empty list when null.
    /// </summary>
    public Func<IReadOnlyDictionary<string, long>>? PeerSilences { get; set; }

    private async Task<bool> HeartbeatAsync()
    {
        var held = Map;
        // HEARTBEAT id epoch report peers: the regular heartbeat carries the node's figures for the dashboard and its
        // evidence about its peers (PeerEvidence); the confirming one below carries neither.
        var reply = await Coordinators.ExecuteAsync("HEARTBEAT", _options.Id, held.Epoch.ToString(), Report?.Invoke() ?? "{}",
            PeerEvidence.Format(PeerSilences?.Invoke() ?? NoPeers));
        if (reply.IsError && !(reply.AsString() ?? "").StartsWith("UNKNOWNNODE", StringComparison.Ordinal))
        {
            // Not "forgotten": nothing to conclude about membership from it (re-registering or leaving would be wrong).
            ClusterAgentLog.HeartbeatRefused(_logger, Coordinators.Current, reply.AsString());
            return true;
        }
        if (reply.IsError)
        {
            if (_leaving)
            {
                // We were leaving and the coordinator forgot us: the transition moved our slots away and we left.
                // Registering again would make us join again; take the final map (we own nothing in it) and stay out.
                await FetchMapAsync();
                _left = true;
                ClusterAgentLog.LeftCluster(_logger);
                return true;
            }
            ClusterAgentLog.UnknownToCoordinator(_logger, Coordinators.Current, reply.AsString());
            return await RegisterAsync();
        }
        if (reply.Items.Count != 2)
        {
            throw new FormatException("heartbeat reply is not [epoch, barrier]");
        }
        Volatile.Write(ref _barrier, reply.Items[1].Integer);
        if (reply.Items[0].Integer > held.Epoch && await FetchMapAsync())
        {
            // Confirm the new epoch at once: the coordinator's barrier (and every transition) waits for it.
            await Coordinators.ExecuteAsync("HEARTBEAT", _options.Id, Map.Epoch.ToString());
        }
        return true;
    }

    private async Task<bool> FetchMapAsync()
    {
        var mapReply = await Coordinators.ExecuteAsync("CLUSTER_MAP");
        return !mapReply.IsError && Offer(ClusterMap.FromJson(mapReply.AsString()!));
    }

    /// <summary>Tells the coordinator which slots this node has copied in transition <paramref name="transitionId"/>.</summary>
    /// <returns>False when the coordinator refused the report (the transition is over) or could not be reached.</returns>
    public async Task<bool> ReportSyncedAsync(long transitionId, Placement.SlotSet slots, long keys, long bytes)
    {
        try
        {
            var reply = await Coordinators.ExecuteAsync("SLOTS_SYNCED", _options.Id, transitionId.ToString(), slots.ToString(), keys.ToString(), bytes.ToString());
            if (reply.IsError)
            {
                ClusterAgentLog.SlotReportRefused(_logger, Coordinators.Current, reply.AsString());
            }
            return !reply.IsError;
        }
        catch (RespConnectionException ex)
        {
            ClusterAgentLog.SlotReportFailed(_logger, ex.Message);
            return false;
        }
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
