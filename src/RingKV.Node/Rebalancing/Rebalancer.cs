using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RingKV.Cluster.Map;
using RingKV.Node.Membership;
using RingKV.Node.Replication;
using RingKV.Placement;

namespace RingKV.Node.Rebalancing;

/// <summary>
/// This node's part in ring transitions: copies the slots it gains and reports them to the coordinator, and drops
/// the data of slots it no longer holds once the transition that moved them away has finished.
/// </summary>
/// <remarks>
/// <para>
/// Copying starts only when the coordinator's barrier shows every live node has seen the transition, so from then
/// on every write of a gained slot also reaches this node (writes go to both lists). Each slot is copied in full
/// from its first reachable current holder, then checked by digest against every other reachable holder: a write
/// acknowledged by a quorum of the current list before the transition is on at least one holder of every quorum,
/// so after the check this node has it (docs/adr/0006-rebalancing-joint-quorums.md).
/// </para>
/// <para>
/// Slots are copied in chunks; each chunk is reported when done, so the coordinator settles slots (and this node
/// starts serving them) progressively. A failed source leaves the chunk for the next pass.
/// </para>
/// </remarks>
public sealed class Rebalancer(NodeOptions options, ClusterAgent agent, Replicator replicator, SlotCopier copier, ILogger logger) : IAsyncDisposable
{
    private const int SlotsPerChunk = 256;

    /// <summary>Records a node drops per second when it sweeps slots it no longer holds.</summary>
    private const double DropsPerSecond = 20_000;
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_reportAgain = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private long _transitionId;
    private SlotSet _copied = SlotSet.Empty;
    private long _lastReport;
    private long _sweptEpoch = -1;
    private long _lastSweep;

    /// <summary>Records this node dropped because it no longer holds their slots.</summary>
    public long Dropped { get; private set; }

    public void Start() => _loop = RunAsync();

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(s_pollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    await CopyGainedSlotsAsync(agent.Map);
                    await SweepAsync(agent.Map);
                }
                catch (Exception ex) when (ex is PeerUnavailableException or FormatException)
                {
                    RebalancerLog.CopyInterrupted(logger, ex.Message);
                }
                catch (Storage.StorageException ex)
                {
                    RebalancerLog.CopyFailedOnStorage(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CopyGainedSlotsAsync(ClusterMap map)
    {
        var transition = map.Transition;
        if (transition is null || transition.Aborting)
        {
            return;
        }
        if (transition.Id != _transitionId)
        {
            _transitionId = transition.Id;
            _copied = SlotSet.Empty;
        }
        var gained = map.GainedBy(options.Id);
        var todo = gained.Except(transition.Settled).Except(_copied);
        if (todo.IsEmpty)
        {
            // Reported but not settled: the report may have been lost (coordinator restart); repeat it now and then.
            var unsettled = _copied.Except(transition.Settled);
            if (!unsettled.IsEmpty && Stopwatch.GetElapsedTime(_lastReport) > s_reportAgain)
            {
                _lastReport = Stopwatch.GetTimestamp();
                await agent.ReportSyncedAsync(transition.Id, unsettled, 0, 0);
            }
            return;
        }
        if (agent.Barrier < transition.Id)
        {
            return; // Some live node may still write these slots to the current list only.
        }
        RebalancerLog.CopyStarted(logger, transition.Id, todo.Count);
        var clock = Stopwatch.StartNew();
        var total = new CopyResult();
        foreach (var chunk in todo.Chunk(SlotsPerChunk))
        {
            if (agent.Map.Transition?.Id != transition.Id || agent.Map.Transition.Aborting)
            {
                RebalancerLog.TransitionEndedWhileCopying(logger, transition.Id);
                return;
            }
            var (copied, result) = await CopyChunkAsync(map, chunk);
            total.Add(result);
            _copied = _copied.Union(copied);
            _lastReport = Stopwatch.GetTimestamp();
            await agent.ReportSyncedAsync(transition.Id, copied, result.KeysPulled, result.BytesPulled);
        }
        RebalancerLog.CopyFinished(logger, transition.Id, todo.Count, total.KeysPulled, total.BytesPulled, clock.ElapsedMilliseconds,
            total.BytesPulled / 1e6 / Math.Max(clock.Elapsed.TotalSeconds, 1e-3));
    }

    // One pass per source: the first reachable holder of each slot gives everything, the others are compared by
    // digest. Returns the slots copied (those with at least one reachable holder).
    private async Task<(SlotSet Copied, CopyResult Result)> CopyChunkAsync(ClusterMap map, SlotSet chunk)
    {
        var full = new Dictionary<string, (NodeEntry Node, List<int> Slots)>();
        var check = new Dictionary<string, (NodeEntry Node, List<int> Slots)>();
        var copied = new List<int>();
        foreach (var slot in chunk)
        {
            var holders = map.WriteReplicas(slot).Current.Where(n => n.Id != options.Id && replicator.IsAvailable(n)).ToList();
            if (holders.Count == 0)
            {
                continue;
            }
            copied.Add(slot);
            Add(full, holders[0], slot);
            foreach (var other in holders.Skip(1))
            {
                Add(check, other, slot);
            }
        }
        var result = new CopyResult();
        foreach (var (node, slots) in full.Values)
        {
            result.Add(await copier.PullAsync(node, SlotSet.Of(slots), compareDigests: false, _stopping.Token));
        }
        foreach (var (node, slots) in check.Values)
        {
            result.Add(await copier.PullAsync(node, SlotSet.Of(slots), compareDigests: true, _stopping.Token));
        }
        if (copied.Count < chunk.Count)
        {
            RebalancerLog.SlotsWithoutHolder(logger, chunk.Count - copied.Count);
        }
        return (SlotSet.Of(copied), result);
    }

    private static void Add(Dictionary<string, (NodeEntry Node, List<int> Slots)> bySource, NodeEntry node, int slot)
    {
        if (!bySource.TryGetValue(node.Id, out var entry))
        {
            bySource[node.Id] = entry = (node, []);
        }
        entry.Slots.Add(slot);
    }

    // Drops every slot this node is in neither list of. Safe at any time: the map says who holds what, and a
    // transition keeps the current holders in the map until the gainers have copied and the target became the ring.
    private async Task SweepAsync(ClusterMap map)
    {
        if (!agent.Registered.IsCompleted || (map.Epoch == _sweptEpoch && Stopwatch.GetElapsedTime(_lastSweep) < s_sweepInterval)
            || (map.Transition is not null && Stopwatch.GetElapsedTime(_lastSweep) < s_sweepInterval / 6))
        {
            return;
        }
        _sweptEpoch = map.Epoch;
        _lastSweep = Stopwatch.GetTimestamp();
        var unowned = SlotSet.All.Except(map.OwnedBy(options.Id));
        var store = replicator.Store;
        int records = 0, slots = 0;
        foreach (var slot in unowned)
        {
            var dropped = store.DropSlot(slot);
            records += dropped;
            if (dropped > 0)
            {
                // Each drop reads the slot and briefly holds the store's write locks. Right after a join three old
                // holders each drop a quarter of their data at once; at full speed that starved client traffic
                // (measured: p99 about 200 ms for 8 s at 1M keys), so drops are paced to DropsPerSecond records.
                slots++;
                await Task.Delay(TimeSpan.FromSeconds((double)dropped / DropsPerSecond), _stopping.Token);
            }
        }
        if (records > 0)
        {
            Dropped += records;
            RebalancerLog.SlotsDropped(logger, records, slots, map.Epoch);
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
