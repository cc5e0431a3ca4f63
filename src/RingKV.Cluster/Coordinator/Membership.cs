using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.Cluster.Coordinator;

/// <summary>
/// The coordinator's authority over the cluster map: registration, heartbeats, failure detection, removal, and the
/// transitions that move the ring from one set of members to another.
/// </summary>
/// <remarks>
/// <para>
/// Every change produces a new map with a higher epoch, persisted before it becomes visible, so a restarted
/// coordinator never hands out an epoch lower than one nodes have already seen. Mutations are serialized by one
/// lock (they are rare: joins, leaves, state flips, settle reports); heartbeats only touch concurrent dictionaries
/// unless they flip a node back UP. The original Python coordinator deadlocked here because its failure checker
/// held the lock while calling back into code that took it again; nothing under <see cref="_mutation"/> calls out.
/// </para>
/// <para>
/// Transitions (docs/adr/0006-rebalancing-joint-quorums.md): when the wanted members (every node not leaving)
/// differ from the ring, a transition to them starts. Gainers copy their slots once every live node has seen the
/// transition (the <see cref="Barrier"/>), report them, and each slot settles once all its gainers have it. When
/// all are settled and every live node has seen that, the target becomes the ring. One transition runs at a time;
/// changes meanwhile wait for the next, except the removal of a gainer, which aborts the transition.
/// </para>
/// </remarks>
public sealed class Membership
{
    private readonly Lock _mutation = new();
    private readonly ConcurrentDictionary<string, long> _lastSeen = new();
    private readonly ConcurrentDictionary<string, long> _seenEpoch = new();
    private readonly HashSet<string> _removalDeferred = [];
    private readonly MapFile _file;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile ClusterMap _map;
    private RebalanceProgress? _progress;
    private RebalanceReport.Summary? _lastTransition;

    public Membership(CoordinatorOptions options, MapFile file, ILogger logger, TimeProvider? time = null)
    {
        FailureTimeout = options.FailureTimeout;
        RemovalTimeout = options.RemovalTimeout;
        _file = file;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Reports = new NodeReports(_time);
        var saved = file.Load();
        _map = saved ?? ClusterMap.Empty(options.ReplicationFactor, options.VirtualNodesPerNode, NewClusterId());
        if (_map.ClusterId is null)
        {
            _map = _map.WithClusterId(NewClusterId()); // A map saved before cluster ids existed.
        }
        if (saved is null || saved.ClusterId is null)
        {
            file.Save(_map);
        }
        // After a restart every known node gets a fresh grace period: silence while we were down says nothing.
        var now = _time.GetTimestamp();
        foreach (var node in _map.Nodes)
        {
            _lastSeen[node.Id] = now;
        }
        if (_map.Transition is not null)
        {
            _progress = RebalanceProgress.Start(_map, _time.GetUtcNow());
        }
    }

    public TimeSpan FailureTimeout { get; }

    /// <summary>A node DOWN this long leaves the ring; <see cref="TimeSpan.Zero"/> disables automatic removal.</summary>
    public TimeSpan RemovalTimeout { get; }

    public ClusterMap Map => _map;

    /// <summary>
    /// The lowest epoch every UP node has confirmed holding (in its heartbeats): the map every live node routes by
    /// is at least this new. DOWN nodes do not hold the barrier back; they learn the map when they return.
    /// </summary>
    public long Barrier
    {
        get
        {
            var map = _map;
            var barrier = map.Epoch;
            foreach (var node in map.Nodes)
            {
                if (node.IsUp)
                {
                    barrier = Math.Min(barrier, _seenEpoch.GetValueOrDefault(node.Id));
                }
            }
            return barrier;
        }
    }

    /// <summary>
    /// Whether a node that remembers cluster <paramref name="clusterId"/> may register here: yes when it remembers
    /// none (a new node) or this cluster's.
    /// </summary>
    public bool Accepts(string? clusterId) => clusterId is null || clusterId == _map.ClusterId;

    private static string NewClusterId() => Guid.NewGuid().ToString("N");

    /// <summary>Adds a node (or updates its endpoint) and marks it UP; a new node joins the ring through a transition.</summary>
    public ClusterMap Register(string id, string host, int port)
    {
        _lastSeen[id] = _time.GetTimestamp();
        lock (_mutation)
        {
            var existing = _map.Find(id);
            var entry = new NodeEntry(id, host, port, NodeState.Up, existing?.Leaving ?? false);
            if (existing != entry)
            {
                Publish(_map.WithNode(entry), existing is null ? $"node {id} registered at {host}:{port}" : $"node {id} re-registered at {host}:{port}");
                Reconcile();
            }
            // The reply carries the map, so the node holds this epoch from now on.
            _seenEpoch[id] = _map.Epoch;
            return _map;
        }
    }

    /// <summary>
    /// Asks node <paramref name="id"/> to leave: its slots are copied to the nodes that gain them (from it, if it is
    /// alive, or from the other replicas), then it leaves the map. Works for live and dead nodes alike.
    /// </summary>
    public DecommissionResult Decommission(string id, string reason = "decommissioned by an operator")
    {
        lock (_mutation)
        {
            return DecommissionLocked(id, reason);
        }
    }

    private DecommissionResult DecommissionLocked(string id, string reason)
    {
        var node = _map.Find(id);
        if (node is null)
        {
            return DecommissionResult.UnknownNode;
        }
        if (node.Leaving)
        {
            return DecommissionResult.AlreadyLeaving;
        }
        // Some node must stay: the last data has nowhere else to go (whether that node is a member or still joining).
        if (!_map.Nodes.Any(n => !n.Leaving && n.Id != id))
        {
            return DecommissionResult.LastNode;
        }
        Publish(_map.WithNode(node with { Leaving = true }), $"node {id} leaves the ring: {reason}");
        Reconcile();
        return DecommissionResult.Accepted;
    }

    /// <summary>Each node's latest figures, as sent with its heartbeats (for the dashboard only).</summary>
    public NodeReports Reports { get; }

    /// <summary>
    /// Records a heartbeat carrying the epoch the node holds and, optionally, its figures (<see cref="NodeReports"/>).
    /// Returns false when the node is unknown (it must register again).
    /// </summary>
    public bool Heartbeat(string id, long epoch = 0, string? report = null)
    {
        var map = _map;
        var node = map.Find(id);
        if (node is null)
        {
            return false;
        }
        _lastSeen[id] = _time.GetTimestamp();
        if (report is not null)
        {
            Reports.Record(id, report);
        }
        _seenEpoch.AddOrUpdate(id, epoch, (_, seen) => Math.Max(seen, epoch));
        if (node.State != NodeState.Up)
        {
            SetState(id, NodeState.Up);
        }
        return true;
    }

    /// <summary>
    /// A gainer reports slots it has copied in transition <paramref name="transitionId"/>. Slots all of whose gainers
    /// have reported become settled in a new epoch. Returns false for a transition that is not the running one.
    /// </summary>
    public bool SlotsSynced(string id, long transitionId, SlotSet slots, long keys, long bytes)
    {
        lock (_mutation)
        {
            var transition = _map.Transition;
            if (transition is null || transition.Id != transitionId || transition.Aborting || _progress is null
                || !_progress.Record(id, slots, keys, bytes, _time.GetUtcNow()))
            {
                return false;
            }
            var settled = transition.Settled.Union(_progress.Copied());
            if (!settled.Equals(transition.Settled))
            {
                Publish(_map.WithRing(_map.Members, transition with { Settled = settled }),
                    $"{settled.Count - transition.Settled.Count} slots settled after {id} copied them ({settled.Count}/{HashSlot.Count})");
            }
            return true;
        }
    }

    /// <summary>The rebalance status document.</summary>
    public RebalanceReport Status()
    {
        lock (_mutation)
        {
            var map = _map;
            var now = _time.GetUtcNow();
            if (_progress is not null && map.Transition is not null)
            {
                return _progress.Report(map, now, _lastTransition);
            }
            return new RebalanceReport(map.Epoch, "idle", null, [.. map.Members], null, 0, 0, 0, 0, 0, 0, 0, null, 0, [], _lastTransition);
        }
    }

    /// <summary>
    /// The periodic step: marks silent nodes DOWN, removes nodes DOWN past the removal timeout, and moves the
    /// running transition forward (finish, abort) once every live node has seen its latest epoch.
    /// </summary>
    public void Tick()
    {
        DetectFailures();
        RemoveLongDownNodes();
        lock (_mutation)
        {
            Reconcile();
        }
    }

    /// <summary>Marks DOWN every UP node silent for longer than the failure timeout.</summary>
    public void DetectFailures()
    {
        foreach (var node in _map.Nodes)
        {
            if (node.IsUp && _lastSeen.TryGetValue(node.Id, out var seen) && _time.GetElapsedTime(seen) > FailureTimeout)
            {
                SetState(node.Id, NodeState.Down);
            }
        }
    }

    private void RemoveLongDownNodes()
    {
        if (RemovalTimeout <= TimeSpan.Zero)
        {
            return;
        }
        foreach (var candidate in _map.Nodes)
        {
            if (candidate.IsUp || candidate.Leaving || !_lastSeen.TryGetValue(candidate.Id, out var seen) || _time.GetElapsedTime(seen) <= RemovalTimeout)
            {
                continue;
            }
            lock (_mutation)
            {
                // Counted on the current map, under the lock: an earlier removal in this loop already changed it.
                var map = _map;
                var node = map.Find(candidate.Id);
                if (node is null || node.IsUp || node.Leaving)
                {
                    continue;
                }
                // Removing a node is worth it only when the others can hold every copy it held; otherwise it would
                // just shrink every preference list and lose the chance that the node comes back with its data.
                var remaining = map.Nodes.Count(n => !n.Leaving && n.Id != node.Id);
                if (remaining < map.ReplicationFactor)
                {
                    if (_removalDeferred.Add(node.Id))
                    {
                        MembershipLog.RemovalDeferred(_logger, node.Id, remaining, map.ReplicationFactor);
                    }
                    continue;
                }
                DecommissionLocked(node.Id, $"DOWN for longer than the removal timeout ({RemovalTimeout.TotalSeconds:0.#} s)");
            }
        }
    }

    // Moves membership towards "every node that is not leaving": starts, finishes or aborts a transition. Called
    // under the lock after every change and periodically; each step it takes publishes one epoch.
    private void Reconcile()
    {
        while (true)
        {
            var map = _map;
            var transition = map.Transition;
            if (transition is null)
            {
                var gone = map.Nodes.FirstOrDefault(n => n.Leaving && !map.Members.Contains(n.Id));
                if (gone is not null)
                {
                    _seenEpoch.TryRemove(gone.Id, out _);
                    _lastSeen.TryRemove(gone.Id, out _);
                    Reports.Forget(gone.Id);
                    _removalDeferred.Remove(gone.Id);
                    Publish(map.WithoutNode(gone.Id), $"node {gone.Id} left the cluster");
                    continue;
                }
                var wanted = map.Nodes.Where(n => !n.Leaving).Select(n => n.Id).Order(StringComparer.Ordinal).ToArray();
                if (wanted.SequenceEqual(map.Members) || wanted.Length == 0)
                {
                    return; // Nothing to do, or nobody left to hold the data (Decommission refuses that).
                }
                if (map.Members.IsEmpty)
                {
                    // Nothing is stored anywhere yet, so there is nothing to copy.
                    Publish(map.WithRing(wanted, null), $"ring formed by {string.Join(", ", wanted)}");
                    continue;
                }
                StartTransition(map, wanted);
                return;
            }
            if (transition.Aborting)
            {
                if (Barrier < map.Epoch)
                {
                    return;
                }
                _lastTransition = _progress is null ? null : _progress.Summarize(_time.GetUtcNow(), 0) with { Aborted = true };
                _progress = null;
                Publish(map.WithRing(map.Members, null), $"transition {transition.Id} aborted; the ring stays {string.Join(", ", map.Members)}");
                continue;
            }
            var lostGainer = transition.Target.FirstOrDefault(id => !map.Members.Contains(id) && map.Find(id)!.Leaving);
            if (lostGainer is not null)
            {
                // Readers may already use target lists for settled slots; unsettle everything first and drop the
                // target only once every live node reads from the current lists again (the barrier above).
                Publish(map.WithRing(map.Members, transition with { Settled = SlotSet.All.Except(map.MovingSlots()), Aborting = true }),
                    $"aborting transition {transition.Id}: joining node {lostGainer} is leaving");
                return;
            }
            if (!transition.Settled.IsFull || Barrier < map.Epoch)
            {
                return;
            }
            _lastTransition = _progress?.Summarize(_time.GetUtcNow(), map.MovingSlots().Count);
            _progress = null;
            Publish(map.WithRing(transition.Target, null), $"transition {transition.Id} finished: the ring is {string.Join(", ", transition.Target)}"
                + (_lastTransition is { } s ? $" ({s.KeysMoved} keys, {s.BytesMoved} bytes copied in {s.DurationSeconds:0.0} s)" : ""));
        }
    }

    private void StartTransition(ClusterMap map, string[] wanted)
    {
        var draft = map.WithRing(map.Members, new RingTransition(map.Epoch + 1, [.. wanted], SlotSet.Empty));
        var gained = SlotSet.Empty;
        foreach (var id in wanted)
        {
            gained = gained.Union(draft.GainedBy(id));
        }
        // Slots nobody gains (unchanged lists, or lists that only lost a leaving node) are settled from the start.
        var started = map.WithRing(map.Members, draft.Transition! with { Settled = SlotSet.All.Except(gained) });
        _progress = RebalanceProgress.Start(started, _time.GetUtcNow());
        Publish(started, $"transition {started.Epoch} started: ring {string.Join(", ", map.Members)} -> {string.Join(", ", wanted)}, "
            + $"{gained.Count} slots to copy");
    }

    private void SetState(string id, NodeState state)
    {
        lock (_mutation)
        {
            var node = _map.Find(id);
            if (node is null || node.State == state)
            {
                return;
            }
            var silence = _lastSeen.TryGetValue(id, out var seen) ? _time.GetElapsedTime(seen) : TimeSpan.Zero;
            // Re-check under the lock: a heartbeat may have landed since DetectFailures looked.
            if (state == NodeState.Down && silence <= FailureTimeout)
            {
                return;
            }
            Publish(_map.WithNode(node with { State = state }),
                state == NodeState.Down ? $"node {id} is DOWN (silent for {silence.TotalSeconds:0.0} s)" : $"node {id} is UP again");
        }
    }

    private void Publish(ClusterMap next, string reason)
    {
        _file.Save(next);
        _map = next;
        MembershipLog.EpochPublished(_logger, next.Epoch, reason);
    }
}

/// <summary>How a decommission or removal request ended.</summary>
public enum DecommissionResult
{
    /// <summary>The node is leaving (now, or after the running transition).</summary>
    Accepted,

    UnknownNode,

    AlreadyLeaving,

    /// <summary>Refused: it is the last member, and its data would have nowhere to go.</summary>
    LastNode,
}
