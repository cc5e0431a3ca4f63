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
/// Every change produces a new map with a higher epoch, committed by the <see cref="IMapStore"/> (a file, or the
/// coordinator group's Raft log) before it becomes visible, so nobody ever sees an epoch that could be lost. Only the
/// leader changes the map: every mutating call throws <see cref="NotLeaderException"/> elsewhere (the session forwards
/// those calls to the leader). Mutations are serialized by one async lock (they are rare: joins, leaves, state flips,
/// settle reports); heartbeats only touch concurrent dictionaries unless they flip a node back UP. The original Python
/// coordinator deadlocked here because its failure checker held the lock while calling back into code that took it
/// again; nothing under <see cref="_mutation"/> calls out, except to the store.
/// </para>
/// <para>
/// A node is silent when neither the coordinator nor any of its peers has heard from it (<see cref="Liveness"/>): a node
/// cut off from the coordinators but not from its peers stays UP (docs/adr/0014-failure-detection-peer-evidence.md).
/// What only the leader knows (that evidence, which epoch each node holds, rebalance progress) is kept in
/// memory and starts afresh each time this coordinator becomes leader (<see cref="IMapStore.LeaderTerm"/>), as after a
/// restart: every node gets a grace period, and gainers report their slots again.
/// </para>
/// <para>
/// Transitions (docs/adr/0006-rebalancing-joint-quorums.md): when the wanted members (every node not leaving)
/// differ from the ring, a transition to them starts. Gainers copy their slots once every live node has seen the
/// transition (the <see cref="Barrier"/>), report them, and each slot settles once all its gainers have it. When
/// all are settled and every live node has seen that, the target becomes the ring. One transition runs at a time;
/// changes meanwhile wait for the next, except the removal of a gainer, which aborts the transition.
/// </para>
/// </remarks>
public sealed class Membership : IDisposable
{
    private readonly SemaphoreSlim _mutation = new(1, 1);
    private readonly Lock _progressLock = new();
    private readonly Liveness _liveness;
    private readonly ConcurrentDictionary<string, long> _seenEpoch = new();
    private readonly HashSet<string> _removalDeferred = [];
    private readonly IMapStore _store;
    private readonly ClusterMap _unformed;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _ledTerm = -1;
    private RebalanceProgress? _progress;
    private RebalanceReport.Summary? _lastTransition;

    public Membership(CoordinatorOptions options, IMapStore store, ILogger logger, TimeProvider? time = null)
    {
        FailureTimeout = options.FailureTimeout;
        RemovalTimeout = options.RemovalTimeout;
        _store = store;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Reports = new NodeReports(_time);
        _liveness = new Liveness(_time);
        // What a coordinator shows before its first map is committed (a new cluster, or a member catching up).
        _unformed = ClusterMap.Empty(options.ReplicationFactor, options.VirtualNodesPerNode, clusterId: null);
    }

    public TimeSpan FailureTimeout { get; }

    /// <summary>A node DOWN this long leaves the ring; <see cref="TimeSpan.Zero"/> disables automatic removal.</summary>
    public TimeSpan RemovalTimeout { get; }

    /// <summary>The committed map (on a follower: the last it applied).</summary>
    public ClusterMap Map => _store.Current ?? _unformed;

    /// <summary>True when this coordinator may change the map (the group's leader, or a lone coordinator).</summary>
    public bool IsLeader => _store.IsLeader;

    /// <summary>
    /// The lowest epoch every UP node has confirmed holding (in its heartbeats): the map every live node routes by
    /// is at least this new. DOWN nodes do not hold the barrier back; they learn the map when they return.
    /// </summary>
    public long Barrier
    {
        get
        {
            var map = Map;
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
    public bool Accepts(string? clusterId) => clusterId is null || clusterId == Map.ClusterId;

    private static string NewClusterId() => Guid.NewGuid().ToString("N");

    /// <summary>Adds a node (or updates its endpoint) and marks it UP; a new node joins the ring through a transition.</summary>
    /// <exception cref="NotLeaderException">This coordinator is not (or stopped being) the leader.</exception>
    public async Task<ClusterMap> RegisterAsync(string id, string host, int port)
    {
        await using var _ = await LeadAsync();
        _liveness.Heard(id);
        var existing = Map.Find(id);
        var entry = new NodeEntry(id, host, port, NodeState.Up, existing?.Leaving ?? false);
        if (existing != entry)
        {
            await PublishAsync(Map.WithNode(entry), existing is null ? $"node {id} registered at {host}:{port}" : $"node {id} re-registered at {host}:{port}");
            await ReconcileAsync();
        }
        // The reply carries the map, so the node holds this epoch from now on.
        _seenEpoch[id] = Map.Epoch;
        return Map;
    }

    /// <summary>
    /// Asks node <paramref name="id"/> to leave: its slots are copied to the nodes that gain them (from it, if it is
    /// alive, or from the other replicas), then it leaves the map. Works for live and dead nodes alike.
    /// </summary>
    /// <exception cref="NotLeaderException">This coordinator is not (or stopped being) the leader.</exception>
    public async Task<DecommissionResult> DecommissionAsync(string id, string reason = "decommissioned by an operator")
    {
        await using var _ = await LeadAsync();
        return await DecommissionLockedAsync(id, reason);
    }

    private async Task<DecommissionResult> DecommissionLockedAsync(string id, string reason)
    {
        var map = Map;
        var node = map.Find(id);
        if (node is null)
        {
            return DecommissionResult.UnknownNode;
        }
        if (node.Leaving)
        {
            return DecommissionResult.AlreadyLeaving;
        }
        // Some node must stay: the last data has nowhere else to go (whether that node is a member or still joining).
        if (!map.Nodes.Any(n => !n.Leaving && n.Id != id))
        {
            return DecommissionResult.LastNode;
        }
        await PublishAsync(map.WithNode(node with { Leaving = true }), $"node {id} leaves the ring: {reason}");
        await ReconcileAsync();
        return DecommissionResult.Accepted;
    }

    /// <summary>Each node's latest figures, as sent with its heartbeats (for the dashboard only).</summary>
    public NodeReports Reports { get; }

    /// <summary>
    /// Records a heartbeat carrying the epoch the node holds and, optionally, its figures (<see cref="NodeReports"/>)
    /// and how long it has not heard from each peer (<see cref="PeerEvidence"/>, docs/adr/0014). Returns false when the
    /// node is unknown (it must register again).
    /// </summary>
    /// <exception cref="NotLeaderException">This coordinator is not (or stopped being) the leader.</exception>
    public async Task<bool> HeartbeatAsync(string id, long epoch = 0, string? report = null, IReadOnlyDictionary<string, long>? peerSilences = null)
    {
        if (!_store.IsLeader || _store.LeaderTerm != Volatile.Read(ref _ledTerm))
        {
            // Not leading, or leading anew: the lock's path checks, catches up and starts the leader's state afresh.
            await using var _ = await LeadAsync();
        }
        var node = Map.Find(id);
        if (node is null)
        {
            return false;
        }
        _liveness.Heard(id);
        if (peerSilences is not null)
        {
            _liveness.Reported(id, peerSilences);
        }
        if (report is not null)
        {
            Reports.Record(id, report);
        }
        _seenEpoch.AddOrUpdate(id, epoch, (_, seen) => Math.Max(seen, epoch));
        if (node.State != NodeState.Up)
        {
            await using var _ = await LeadAsync();
            await SetStateLockedAsync(id, NodeState.Up);
        }
        return true;
    }

    /// <summary>
    /// A gainer reports slots it has copied in transition <paramref name="transitionId"/>. Slots all of whose gainers
    /// have reported become settled in a new epoch. Returns false for a transition that is not the running one.
    /// </summary>
    /// <exception cref="NotLeaderException">This coordinator is not (or stopped being) the leader.</exception>
    public async Task<bool> SlotsSyncedAsync(string id, long transitionId, SlotSet slots, long keys, long bytes)
    {
        await using var _ = await LeadAsync();
        var map = Map;
        var transition = map.Transition;
        SlotSet copied;
        lock (_progressLock)
        {
            if (transition is null || transition.Id != transitionId || transition.Aborting || _progress is null
                || !_progress.Record(id, slots, keys, bytes, _time.GetUtcNow()))
            {
                return false;
            }
            copied = _progress.Copied();
        }
        var settled = transition.Settled.Union(copied);
        if (!settled.Equals(transition.Settled))
        {
            await PublishAsync(map.WithRing(map.Members, transition with { Settled = settled }),
                $"{settled.Count - transition.Settled.Count} slots settled after {id} copied them ({settled.Count}/{HashSlot.Count})");
        }
        return true;
    }

    /// <summary>The rebalance status document (progress is known to the leader only; a follower reports the map's view).</summary>
    public RebalanceReport Status()
    {
        var map = Map;
        lock (_progressLock)
        {
            if (_progress is not null && map.Transition is not null && _progress.TransitionId == map.Transition.Id)
            {
                return _progress.Report(map, _time.GetUtcNow(), _lastTransition);
            }
            return new RebalanceReport(map.Epoch, "idle", null, [.. map.Members], null, 0, 0, 0, 0, 0, 0, 0, null, 0, [], _lastTransition);
        }
    }

    /// <summary>
    /// The periodic step, on the leader only: marks silent nodes DOWN, removes nodes DOWN past the removal timeout,
    /// and moves the running transition forward (finish, abort) once every live node has seen its latest epoch.
    /// </summary>
    public async Task TickAsync()
    {
        if (!_store.IsLeader)
        {
            return;
        }
        try
        {
            await using var _ = await LeadAsync();
            await DetectFailuresLockedAsync();
            await RemoveLongDownNodesLockedAsync();
            await ReconcileAsync();
        }
        catch (NotLeaderException)
        {
            // Deposed meanwhile: the new leader ticks.
        }
    }

    // Takes the mutation lock as the leader: throws when this coordinator does not lead, and the first time it leads
    // in a term catches up with the log and starts the leader's in-memory state afresh (see the class remarks).
    private async Task<LockHeld> LeadAsync()
    {
        await _mutation.WaitAsync();
        try
        {
            var term = _store.LeaderTerm;
            if (!_store.IsLeader)
            {
                throw new NotLeaderException(_store.LeaderEndpoint);
            }
            if (term != _ledTerm)
            {
                if (!await _store.CatchUpAsync(CancellationToken.None))
                {
                    throw new NotLeaderException(_store.LeaderEndpoint);
                }
                StartLeading();
                await BootstrapAsync();
                Volatile.Write(ref _ledTerm, term);
            }
            return new LockHeld(_mutation);
        }
        catch
        {
            _mutation.Release();
            throw;
        }
    }

    private void StartLeading()
    {
        var map = Map;
        // Silence before we led says nothing: every known node gets a grace period until evidence about it arrives
        // (its heartbeat, or its peers' reports, which may tell of a node that died before this election), and must
        // confirm its epoch to us.
        _liveness.Reset();
        _seenEpoch.Clear();
        _removalDeferred.Clear();
        lock (_progressLock)
        {
            _progress = map.Transition is null ? null : RebalanceProgress.Start(map, _time.GetUtcNow());
        }
    }

    // A cluster's first map, or a map saved before cluster ids existed, gets its id.
    private async Task BootstrapAsync()
    {
        var current = _store.Current;
        if (current is null)
        {
            await PublishAsync(_unformed.WithClusterId(NewClusterId()), "new cluster");
        }
        else if (current.ClusterId is null)
        {
            await PublishAsync(current.WithClusterId(NewClusterId()), "cluster id assigned");
        }
    }

    /// <summary>Marks DOWN every UP node silent for longer than the failure timeout.</summary>
    /// <exception cref="NotLeaderException">This coordinator is not (or stopped being) the leader.</exception>
    public async Task DetectFailuresAsync()
    {
        await using var _ = await LeadAsync();
        await DetectFailuresLockedAsync();
    }

    private async Task DetectFailuresLockedAsync()
    {
        foreach (var node in Map.Nodes)
        {
            if (node.IsUp && _liveness.Silence(node.Id) > FailureTimeout)
            {
                await SetStateLockedAsync(node.Id, NodeState.Down);
            }
            else if (!node.IsUp && IsHeardAgain(node.Id))
            {
                // A DOWN node that its peers hear again is alive, even if its own heartbeats still cannot reach us
                // (a partition that healed only between the nodes): its copies can be read and written again.
                await SetStateLockedAsync(node.Id, NodeState.Up);
            }
        }
    }

    // Fresh, real evidence (not the grace of a new leader): heard within half the failure timeout. A dead node's
    // evidence only ages, so it never passes this; the margin keeps a node at the edge from flapping.
    private bool IsHeardAgain(string id) => _liveness.Sources(id).Count > 0 && _liveness.Silence(id) <= FailureTimeout / 2;

    private async Task RemoveLongDownNodesLockedAsync()
    {
        if (RemovalTimeout <= TimeSpan.Zero)
        {
            return;
        }
        foreach (var candidate in Map.Nodes)
        {
            if (candidate.IsUp || candidate.Leaving || _liveness.Silence(candidate.Id) <= RemovalTimeout)
            {
                continue;
            }
            // Counted on the current map: an earlier removal in this loop already changed it.
            var map = Map;
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
            await DecommissionLockedAsync(node.Id, $"DOWN for longer than the removal timeout ({RemovalTimeout.TotalSeconds:0.#} s)");
        }
    }

    // Moves membership towards "every node that is not leaving": starts, finishes or aborts a transition. Called
    // under the lock after every change and periodically; each step it takes publishes one epoch.
    private async Task ReconcileAsync()
    {
        while (true)
        {
            var map = Map;
            var transition = map.Transition;
            if (transition is null)
            {
                var gone = map.Nodes.FirstOrDefault(n => n.Leaving && !map.Members.Contains(n.Id));
                if (gone is not null)
                {
                    _seenEpoch.TryRemove(gone.Id, out _);
                    _liveness.Forget(gone.Id);
                    Reports.Forget(gone.Id);
                    _removalDeferred.Remove(gone.Id);
                    await PublishAsync(map.WithoutNode(gone.Id), $"node {gone.Id} left the cluster");
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
                    await PublishAsync(map.WithRing(wanted, null), $"ring formed by {string.Join(", ", wanted)}");
                    continue;
                }
                await StartTransitionAsync(map, wanted);
                return;
            }
            if (transition.Aborting)
            {
                if (Barrier < map.Epoch)
                {
                    return;
                }
                lock (_progressLock)
                {
                    _lastTransition = _progress is null ? null : _progress.Summarize(_time.GetUtcNow(), 0) with { Aborted = true };
                    _progress = null;
                }
                await PublishAsync(map.WithRing(map.Members, null), $"transition {transition.Id} aborted; the ring stays {string.Join(", ", map.Members)}");
                continue;
            }
            var lostGainer = transition.Target.FirstOrDefault(id => !map.Members.Contains(id) && map.Find(id)!.Leaving);
            if (lostGainer is not null)
            {
                // Readers may already use target lists for settled slots; unsettle everything first and drop the
                // target only once every live node reads from the current lists again (the barrier above).
                await PublishAsync(map.WithRing(map.Members, transition with { Settled = SlotSet.All.Except(map.MovingSlots()), Aborting = true }),
                    $"aborting transition {transition.Id}: joining node {lostGainer} is leaving");
                return;
            }
            if (!transition.Settled.IsFull || Barrier < map.Epoch)
            {
                return;
            }
            RebalanceReport.Summary? summary;
            lock (_progressLock)
            {
                summary = _lastTransition = _progress?.Summarize(_time.GetUtcNow(), map.MovingSlots().Count);
                _progress = null;
            }
            await PublishAsync(map.WithRing(transition.Target, null), $"transition {transition.Id} finished: the ring is {string.Join(", ", transition.Target)}"
                + (summary is { } s ? $" ({s.KeysMoved} keys, {s.BytesMoved} bytes copied in {s.DurationSeconds:0.0} s)" : ""));
        }
    }

    private async Task StartTransitionAsync(ClusterMap map, string[] wanted)
    {
        var draft = map.WithRing(map.Members, new RingTransition(map.Epoch + 1, [.. wanted], SlotSet.Empty));
        var gained = SlotSet.Empty;
        foreach (var id in wanted)
        {
            gained = gained.Union(draft.GainedBy(id));
        }
        // Slots nobody gains (unchanged lists, or lists that only lost a leaving node) are settled from the start.
        var started = map.WithRing(map.Members, draft.Transition! with { Settled = SlotSet.All.Except(gained) });
        await PublishAsync(started, $"transition {started.Epoch} started: ring {string.Join(", ", map.Members)} -> {string.Join(", ", wanted)}, "
            + $"{gained.Count} slots to copy");
        lock (_progressLock)
        {
            _progress = RebalanceProgress.Start(started, _time.GetUtcNow());
        }
    }

    private async Task SetStateLockedAsync(string id, NodeState state)
    {
        var node = Map.Find(id);
        if (node is null || node.State == state)
        {
            return;
        }
        var silence = _liveness.Silence(id);
        // Re-check under the lock: a heartbeat may have landed since the caller looked.
        if (state == NodeState.Down && silence <= FailureTimeout)
        {
            return;
        }
        var source = state == NodeState.Up && _liveness.Sources(id) is [var (freshest, _), ..] && freshest != Liveness.Direct ? $" (heard by {freshest})" : "";
        await PublishAsync(Map.WithNode(node with { State = state }),
            state == NodeState.Down ? $"node {id} is DOWN (silent for {silence.TotalSeconds:0.0} s)" : $"node {id} is UP again{source}");
    }

    private async Task PublishAsync(ClusterMap next, string reason)
    {
        if (!await _store.PublishAsync(next, CancellationToken.None))
        {
            throw new NotLeaderException(_store.LeaderEndpoint);
        }
        MembershipLog.EpochPublished(_logger, next.Epoch, reason);
    }

    public void Dispose() => _mutation.Dispose();

    // Releases the mutation lock at the end of a using block.
    private readonly struct LockHeld(SemaphoreSlim held) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            held.Release();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// This coordinator may not change the map: it is a follower of the coordinator group, or lost the leadership while
/// changing it. Callers forward to <see cref="LeaderEndpoint"/> when known, or answer <c>-NOLEADER</c>.
/// </summary>
public sealed class NotLeaderException(string? leaderEndpoint)
    : Exception(leaderEndpoint is null ? "no coordinator leader is known" : $"the coordinator leader is {leaderEndpoint}")
{
    public string? LeaderEndpoint { get; } = leaderEndpoint;
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
