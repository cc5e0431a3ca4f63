using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;

namespace RingKV.Cluster.Tests;

/// <summary>
/// Failure detection with the peers' evidence that heartbeats carry (docs/adr/0014-failure-detection-peer-evidence.md):
/// a node the coordinator stopped hearing stays UP while its peers hear it, comes back UP when they hear it again, and
/// a report of an old silence ends a restarted coordinator's grace period.
/// </summary>
public sealed class MembershipPeerEvidenceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TestCoordinator.FailureTimeout;

    private readonly TestCoordinator _cluster = new();

    public void Dispose() => _cluster.Dispose();

    private ManualTimeProvider Clock => _cluster.Clock;

    private static NodeState StateOf(Membership membership, string id) => membership.Map.Find(id)!.State;

    // node-1 and node-2 heartbeat directly, each saying how long it has not heard node-3.
    private static async Task PeersReportAsync(Membership membership, long node3SilenceMs)
    {
        foreach (var reporter in new[] { "node-1", "node-2" })
        {
            var other = reporter == "node-1" ? "node-2" : "node-1";
            Assert.True(await membership.HeartbeatAsync(reporter, membership.Map.Epoch, null,
                new Dictionary<string, long> { [other] = 100, ["node-3"] = node3SilenceMs }));
        }
    }

    /// <summary>Time passes, node-1 and node-2 report node-3's silence, and the leader runs its failure check.</summary>
    private async Task AfterAsync(Membership membership, TimeSpan elapsed, long node3SilenceMs)
    {
        Clock.Advance(elapsed);
        await PeersReportAsync(membership, node3SilenceMs);
        await membership.DetectFailuresAsync();
    }

    [Fact]
    public async Task SilentToTheCoordinator_HeardByItsPeers_StaysUp()
    {
        var membership = await TestCoordinator.RingAsync(_cluster.Start(), 3);

        for (var step = 0; step < 6; step++)
        {
            await AfterAsync(membership, TimeSpan.FromSeconds(5), node3SilenceMs: 200);
        }

        Assert.Equal(NodeState.Up, StateOf(membership, "node-3"));
    }

    [Fact]
    public async Task SilentToEveryone_Down_ThenHeardByItsPeersAgain_UpWithoutItsOwnHeartbeat()
    {
        var membership = await TestCoordinator.RingAsync(_cluster.Start(), 3);
        var silence = TimeSpan.Zero;
        while (StateOf(membership, "node-3") == NodeState.Up)
        {
            silence += TimeSpan.FromSeconds(2);
            Assert.True(silence < Timeout * 2, "node-3 was not marked DOWN");
            await AfterAsync(membership, TimeSpan.FromSeconds(2), (long)silence.TotalMilliseconds);
        }
        Assert.True(silence > Timeout);

        // Still silent: DOWN stays DOWN (its evidence only ages).
        await AfterAsync(membership, TimeSpan.FromSeconds(2), (long)(silence + TimeSpan.FromSeconds(2)).TotalMilliseconds);
        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));

        // The partition heals between the nodes only: its peers hear it, the coordinator still does not.
        await AfterAsync(membership, TimeSpan.FromSeconds(1), node3SilenceMs: 150);

        Assert.Equal(NodeState.Up, StateOf(membership, "node-3"));
    }

    [Fact]
    public async Task RestartedCoordinator_PeersReportAnOldSilence_DownWithoutWaitingOutTheGrace()
    {
        await TestCoordinator.RingAsync(_cluster.Start(), 3);

        // The coordinator restarts (a new leader starts afresh the same way): every node gets a grace period...
        var restarted = _cluster.Start();
        Clock.Advance(TimeSpan.FromSeconds(1));
        // ...but the peers say node-3 has been silent for 8 s already, so 3 s later it is 11 s: past the timeout.
        await PeersReportAsync(restarted, node3SilenceMs: 8_000);
        Clock.Advance(TimeSpan.FromSeconds(3));
        await PeersReportAsync(restarted, node3SilenceMs: 11_000);
        await restarted.DetectFailuresAsync();

        Assert.Equal(NodeState.Down, StateOf(restarted, "node-3"));
        Assert.Equal(NodeState.Up, StateOf(restarted, "node-1"));
    }

    [Fact]
    public async Task RestartedCoordinator_NoEvidenceYet_GraceKeepsEveryoneUp_AndDownNodesDown()
    {
        var membership = await TestCoordinator.RingAsync(_cluster.Start(), 3);
        await AfterAsync(membership, Timeout + TimeSpan.FromSeconds(1), node3SilenceMs: (long)(Timeout + TimeSpan.FromSeconds(1)).TotalMilliseconds);
        Assert.Equal(NodeState.Down, StateOf(membership, "node-3"));

        // Right after a restart nothing is known: the grace must neither mark anyone DOWN nor bring node-3 back UP.
        var restarted = _cluster.Start();
        Clock.Advance(TimeSpan.FromSeconds(1));
        await restarted.DetectFailuresAsync();

        Assert.Equal(NodeState.Down, StateOf(restarted, "node-3"));
        Assert.Equal(NodeState.Up, StateOf(restarted, "node-1"));
    }
}
