using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RingKV.Cluster.Map;
using RingKV.Node.Membership;
using RingKV.Storage;
using RingKV.Storage.Hints;

namespace RingKV.Node.Replication;

/// <summary>
/// Hinted handoff: the primary keeps the writes a replica missed (it was DOWN, suspected, or did not acknowledge)
/// in a durable queue per replica, and replays them in order once the replica answers again.
/// </summary>
/// <remarks>
/// Bounds: at most <see cref="HintOptions.MaxHintsPerTarget"/> hints per replica (further misses are dropped and
/// counted), and a hint older than <see cref="HintOptions.Window"/> is dropped instead of replayed (as Cassandra's
/// max_hint_window). Dropped hints leave the replica behind until a quorum read's write-back or anti-entropy catches
/// it up; tombstones outlive the window (RecordPurger's grace period), so a dropped delete can not resurrect a key.
/// Replay sends the original record (same version), so delivering a hint twice, or after a newer write, is harmless.
/// Thread-safe: <see cref="Record"/> is called concurrently by writes; one replay loop runs per node.
/// </remarks>
public sealed class HintedHandoff : IAsyncDisposable
{
    private const int ReplayBatch = 256;
    private readonly IHintStore _store;
    private readonly HintOptions _options;
    private readonly ClusterAgent _agent;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, long> _queued = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private long _dropped;
    private long _delivered;

    public HintedHandoff(IHintStore store, HintOptions options, ClusterAgent agent, ILogger logger, TimeProvider? time = null)
    {
        _store = store;
        _options = options;
        _agent = agent;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        // Counting once at start keeps Record O(1); the store's own Count may scan.
        foreach (var target in store.Targets())
        {
            _queued[target] = store.Count(target);
        }
    }

    /// <summary>Hints waiting for delivery, all replicas together.</summary>
    public long Pending => _queued.Values.Sum();

    /// <summary>Hints queued per replica: the writes each replica has yet to receive, i.e. how far it lags.</summary>
    public IReadOnlyDictionary<string, long> PendingByReplica => _queued;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Queues <paramref name="record"/> for <paramref name="target"/>, unless its queue is full.</summary>
    /// <exception cref="StorageException">The hint could not be stored.</exception>
    public void Record(NodeEntry target, int slot, ReadOnlySpan<byte> key, StoredRecord record)
    {
        if (_queued.GetValueOrDefault(target.Id) >= _options.MaxHintsPerTarget)
        {
            if (Interlocked.Increment(ref _dropped) % 10_000 == 1)
            {
                HintedHandoffLog.QueueFull(_logger, target.Id, _options.MaxHintsPerTarget);
            }
            return;
        }
        _store.Append(target.Id, slot, key, record, NowMs);
        _queued.AddOrUpdate(target.Id, 1, (_, n) => n + 1);
    }

    /// <summary>Starts the replay loop; <paramref name="replicator"/> delivers and judges reachability.</summary>
    public void Start(Replicator replicator) => _loop = ReplayLoopAsync(replicator);

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task ReplayLoopAsync(Replicator replicator)
    {
        using var timer = new PeriodicTimer(_options.ReplayInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                foreach (var target in _store.Targets())
                {
                    await ReplayAsync(replicator, target);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Delivers the target's hints in order until its queue is empty or a delivery fails.</summary>
    private async Task ReplayAsync(Replicator replicator, string targetId)
    {
        var node = _agent.Map.Find(targetId);
        if (node is null)
        {
            // The node left the ring: its slots belong to others now, and they got the writes.
            DropAll(targetId);
            return;
        }
        if (!replicator.IsAvailable(node))
        {
            return;
        }
        var started = false;
        while (!_stopping.IsCancellationRequested)
        {
            var batch = _store.ReadOldest(targetId, ReplayBatch);
            if (batch.Count == 0)
            {
                if (started)
                {
                    HintedHandoffLog.ReplayComplete(_logger, targetId);
                }
                return;
            }
            if (!started)
            {
                HintedHandoffLog.ReplayStarted(_logger, _queued.GetValueOrDefault(targetId), targetId);
                started = true;
            }
            foreach (var hint in batch)
            {
                if (NowMs - hint.CreatedAtMs <= _options.Window.TotalMilliseconds)
                {
                    if (!(await replicator.ReplicateAsync(node, hint.Slot, hint.Key, hint.Record)).Answered)
                    {
                        return; // Still unreachable: keep the order, retry from this hint next time.
                    }
                    Interlocked.Increment(ref _delivered);
                }
                else
                {
                    Interlocked.Increment(ref _dropped);
                }
                _store.Remove(targetId, hint.Sequence);
                _queued.AddOrUpdate(targetId, 0, (_, n) => Math.Max(0, n - 1));
            }
        }
    }

    /// <summary>
    /// Forgets every queued hint (FLUSHALL: the writes they carry were flushed too). A hint being delivered at this
    /// moment may still land, like any write concurrent with the flush.
    /// </summary>
    public void DiscardAll()
    {
        foreach (var target in _store.Targets())
        {
            DropAll(target, counted: false);
        }
    }

    private void DropAll(string targetId, bool counted = true)
    {
        IReadOnlyList<Hint> batch;
        while ((batch = _store.ReadOldest(targetId, ReplayBatch)).Count > 0)
        {
            foreach (var hint in batch)
            {
                _store.Remove(targetId, hint.Sequence);
                if (counted)
                {
                    Interlocked.Increment(ref _dropped);
                }
            }
        }
        _queued.TryRemove(targetId, out _);
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

/// <summary>Bounds of <see cref="HintedHandoff"/>.</summary>
public sealed record HintOptions
{
    /// <summary>Hints older than this are dropped, not replayed (Cassandra's default max_hint_window is 3 h).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(3);

    /// <summary>Most hints kept per replica; about 100 MB of 100-byte values.</summary>
    public long MaxHintsPerTarget { get; init; } = 1_000_000;

    public TimeSpan ReplayInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
