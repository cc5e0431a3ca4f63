using Microsoft.Extensions.Logging.Abstractions;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;

namespace RingKV.Cluster.Tests;

/// <summary>
/// A coordinator's <see cref="Membership"/> over a temporary data directory and a manual clock, plus the steps
/// that drive it the way live nodes would (heartbeats carrying the epoch they hold, settle reports), without
/// sleeping: every test decides exactly when time passes and who confirms what.
/// </summary>
internal sealed class TestCoordinator : IDisposable
{
    public static readonly TimeSpan FailureTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Less than <see cref="FailureTimeout"/>: nodes heartbeating at this pace stay UP.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    private readonly TempDirectory _directory = new();

    public ManualTimeProvider Clock { get; } = new();

    public string DataDirectory => _directory.Path;

    public void Dispose() => _directory.Dispose();

    public CoordinatorOptions Options(int replicationFactor = 2, TimeSpan? removalTimeout = null)
    {
        var options = new CoordinatorOptions
        {
            DataDirectory = _directory.Path,
            FailureTimeout = FailureTimeout,
            ReplicationFactor = replicationFactor,
            VirtualNodesPerNode = TestMaps.VirtualNodes,
        };
        return removalTimeout is { } removal ? options with { RemovalTimeout = removal } : options;
    }

    /// <summary>A coordinator's membership over the test directory, as if the process had just started.</summary>
    /// <remarks>
    /// It leads at once, as a lone coordinator does when its process starts (the first map, with the cluster id, is
    /// published). The file store completes synchronously, so waiting here blocks nothing.
    /// </remarks>
    public Membership Start(CoordinatorOptions? options = null)
    {
        var membership = new Membership(options ?? Options(), new StandaloneMapStore(new MapFile(_directory.Path)), NullLogger.Instance, Clock);
        membership.TickAsync().GetAwaiter().GetResult();
        return membership;
    }

    public static string Id(int n) => $"node-{n}";

    public static string[] Ids(params int[] numbers) => [.. numbers.Select(Id)];

    public static Task<ClusterMap> RegisterAsync(Membership membership, int n) => membership.RegisterAsync(Id(n), "127.0.0.1", 5000 + n);

    /// <summary>
    /// Registers node-1 .. node-<paramref name="count"/> one at a time, driving each join to completion: a stable
    /// ring of them, no transition running.
    /// </summary>
    public static async Task<Membership> RingAsync(Membership membership, int count)
    {
        for (var n = 1; n <= count; n++)
        {
            await RegisterAsync(membership, n);
            while (membership.Map.Transition is not null)
            {
                await CompleteTransitionAsync(membership);
            }
        }
        Assert.Null(membership.Map.Transition);
        Assert.Equal<string>(Ids([.. Enumerable.Range(1, count)]), membership.Map.Members);
        return membership;
    }

    /// <summary>Every UP node heartbeats with the epoch of the current map (as it would once the map reached it).</summary>
    public static async Task ConfirmEpochAsync(Membership membership)
    {
        var map = membership.Map;
        foreach (var node in map.Nodes.Where(n => n.IsUp))
        {
            Assert.True(await membership.HeartbeatAsync(node.Id, map.Epoch));
        }
    }

    /// <summary>
    /// Drives the running (not aborting) transition to its end the way the nodes would: every live node confirms the
    /// transition's epoch, each gainer reports all the slots it gains, everyone confirms the settled map, and the
    /// coordinator ticks. Afterwards the transition is gone (or a new one, for changes that waited, is running).
    /// </summary>
    public static async Task CompleteTransitionAsync(Membership membership)
    {
        var transition = membership.Map.Transition;
        Assert.NotNull(transition);
        Assert.False(transition.Aborting);
        await ConfirmEpochAsync(membership);
        foreach (var id in transition.Target)
        {
            var gained = membership.Map.GainedBy(id);
            if (!gained.IsEmpty)
            {
                Assert.True(await membership.SlotsSyncedAsync(id, transition.Id, gained, gained.Count, gained.Count * 100L));
            }
        }
        Assert.True(membership.Map.Transition!.Settled.IsFull);
        await ConfirmEpochAsync(membership);
        await membership.TickAsync();
        Assert.NotEqual(transition.Id, membership.Map.Transition?.Id);
    }

    /// <summary>
    /// Lets <paramref name="duration"/> pass in heartbeat-sized steps, every known node except <paramref name="silent"/>
    /// heartbeating (with the current epoch) after each step. Does not tick.
    /// </summary>
    public async Task AdvanceWhileHeartbeatingAsync(Membership membership, TimeSpan duration, params string[] silent)
    {
        var elapsed = TimeSpan.Zero;
        while (elapsed < duration)
        {
            var step = duration - elapsed < HeartbeatInterval ? duration - elapsed : HeartbeatInterval;
            Clock.Advance(step);
            elapsed += step;
            var map = membership.Map;
            foreach (var node in map.Nodes.Where(n => !silent.Contains(n.Id)))
            {
                Assert.True(await membership.HeartbeatAsync(node.Id, map.Epoch));
            }
        }
    }
}
