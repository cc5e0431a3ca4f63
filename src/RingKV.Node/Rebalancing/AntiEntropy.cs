using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RingKV.Node.Membership;
using RingKV.Node.Replication;

namespace RingKV.Node.Rebalancing;

/// <summary>
/// Anti-entropy: compares this node's slots with every peer that holds the same slots, by digest, and pulls the
/// keys where the peer is newer. Runs periodically and on demand (REPAIR, <c>ringkv repair</c>).
/// </summary>
/// <remarks>
/// Pull-only: each node repairs itself, so a repair run on every node (what <c>ringkv repair</c> does, and what the
/// periodic runs amount to) brings every replica up to the newest copy anywhere. It catches what hints and read
/// repair missed: hints dropped past their window, keys never read, a disk that lost data. Skipped while the ring
/// changes; copying then is the rebalancer's job.
/// </remarks>
public sealed class AntiEntropy(NodeOptions options, ClusterAgent agent, Replicator replicator, SlotCopier copier, ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public void Start()
    {
        if (options.AntiEntropyInterval > TimeSpan.Zero)
        {
            _loop = RunAsync();
        }
    }

    /// <summary>Repairs every slot this node holds from every reachable peer holding it too; one run at a time.</summary>
    public async Task<CopyResult> RepairAsync(CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _stopping.Token);
        await _running.WaitAsync(linked.Token);
        var clock = Stopwatch.StartNew();
        var total = new CopyResult();
        try
        {
            var map = agent.Map;
            var mine = map.OwnedBy(options.Id);
            foreach (var peer in map.Nodes)
            {
                var shared = mine.Intersect(map.OwnedBy(peer.Id));
                if (peer.Id == options.Id || shared.IsEmpty || !replicator.IsAvailable(peer))
                {
                    continue;
                }
                try
                {
                    total.Add(await copier.PullAsync(peer, shared, compareDigests: true, linked.Token));
                }
                catch (Exception ex) when (ex is PeerUnavailableException or FormatException)
                {
                    AntiEntropyLog.RepairStopped(logger, peer.Id, ex.Message);
                }
            }
            total.Elapsed = clock.Elapsed;
            if (total.KeysPulled > 0)
            {
                AntiEntropyLog.RepairPulled(logger, total.KeysPulled, total.BytesPulled,
                    total.SlotsDiffering, total.SlotsCompared, total.Peers, (long)total.Elapsed.TotalMilliseconds);
            }
            return total;
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(options.AntiEntropyInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                if (agent.Map.Transition is null && !agent.HasLeft)
                {
                    await RepairAsync(_stopping.Token);
                }
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
