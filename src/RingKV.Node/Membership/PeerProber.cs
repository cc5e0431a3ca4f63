using System.Collections.Concurrent;
using RingKV.Cluster.Map;
using RingKV.Node.Routing;

namespace RingKV.Node.Membership;

/// <summary>
/// Probes every other node of the map with PING each <see cref="Interval"/> and remembers when each last answered;
/// the heartbeat carries <see cref="Silences"/> to the coordinator, which then does not declare a node DOWN while
/// its peers still hear it (SWIM's direct probe; docs/adr/0014-failure-detection-peer-evidence.md).
/// </summary>
/// <remarks>
/// Every peer, every interval: clusters are small (O(n²) pings per interval is nothing at a few dozen nodes). SWIM
/// probes one random peer per interval and asks k others to probe it when it does not answer (ping-req); that is
/// the step to take for large clusters. Here the coordinator, which combines every node's evidence
/// (<see cref="Cluster.Coordinator.Liveness"/>), plays the part of the indirect probe. Each probe is bounded by the
/// interval (and the peer timeout), so a round never overlaps the next. Thread-safe.
/// </remarks>
public sealed class PeerProber : IAsyncDisposable
{
    private readonly NodeOptions _options;
    private readonly ClusterAgent _agent;
    private readonly PeerLinks _peers;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ConcurrentDictionary<string, long> _lastAnswer = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public PeerProber(NodeOptions options, ClusterAgent agent, PeerLinks peers, TimeProvider? time = null)
    {
        _options = options;
        _agent = agent;
        _peers = peers;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        Interval = options.HeartbeatInterval;
    }

    /// <summary>Time between probe rounds; the heartbeat interval unless set.</summary>
    public TimeSpan Interval { get; init; }

    /// <summary>How long one probe may wait for its answer: the interval, or the peer timeout when that is shorter.</summary>
    public TimeSpan ProbeTimeout => Interval < _options.PeerTimeout ? Interval : _options.PeerTimeout;

    public void Start() => _loop = RunAsync();

    /// <summary>
    /// Per peer of the current map, whole milliseconds since it last answered a probe. A peer that never answered
    /// counts from the prober's start: this node can not have heard from it before, and must not claim it did.
    /// </summary>
    public IReadOnlyDictionary<string, long> Silences()
    {
        var silences = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var peer in Peers(_agent.Map))
        {
            var heard = _lastAnswer.TryGetValue(peer.Id, out var at) ? at : _started;
            silences[peer.Id] = (long)_time.GetElapsedTime(heard).TotalMilliseconds;
        }
        return silences;
    }

    /// <summary>One round: probes every peer of the current map at once and waits for all answers or timeouts.</summary>
    internal async Task ProbeAsync()
    {
        var map = _agent.Map;
        // Nodes that left the map are not probed any more; forget them so a node that rejoins under the same id
        // starts again from "never answered" rather than from an answer of its previous life.
        foreach (var id in _lastAnswer.Keys.Where(id => map.Find(id) is null))
        {
            _lastAnswer.TryRemove(id, out _);
        }
        await Task.WhenAll(Peers(map).Select(ProbeAsync));
    }

    private async Task ProbeAsync(NodeEntry peer)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(ProbeTimeout);
        if (await _peers.PingAsync(peer, timeout.Token))
        {
            _lastAnswer[peer.Id] = _time.GetTimestamp();
        }
    }

    // DOWN and leaving nodes too: an answer from a node the coordinator thinks DOWN is exactly the evidence it needs.
    private IEnumerable<NodeEntry> Peers(ClusterMap map) => map.Nodes.Where(n => n.Id != _options.Id);

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await ProbeAsync();
            }
        }
        catch (OperationCanceledException)
        {
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
