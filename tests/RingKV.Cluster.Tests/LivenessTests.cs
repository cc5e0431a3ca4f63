using RingKV.Cluster.Coordinator;

namespace RingKV.Cluster.Tests;

/// <summary>A node is silent only while neither the coordinator nor any of its peers has heard from it.</summary>
public sealed class LivenessTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly ManualTimeProvider _clock = new();
    private readonly Liveness _liveness;

    public LivenessTests() => _liveness = new Liveness(_clock);

    private static Dictionary<string, long> Says(params (string Peer, long SilenceMs)[] silences) =>
        silences.ToDictionary(s => s.Peer, s => s.SilenceMs);

    [Fact]
    public void Silence_DirectHeartbeatsOnly_TimeSinceTheLastOne()
    {
        _liveness.Heard("node-1");
        _clock.Advance(3 * Second);

        Assert.Equal(3 * Second, _liveness.Silence("node-1"));

        _liveness.Heard("node-1");
        _clock.Advance(Second);

        Assert.Equal(Second, _liveness.Silence("node-1"));
        Assert.Equal([(Liveness.Direct, Second)], _liveness.Sources("node-1"));
    }

    [Fact]
    public void Silence_CoordinatorLostTheNodeButAPeerHearsIt_NotSilent()
    {
        _liveness.Heard("node-3");
        for (var i = 0; i < 30; i++)
        {
            _clock.Advance(Second);
            _liveness.Heard("node-2");
            _liveness.Reported("node-2", Says(("node-3", 200)));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(200), _liveness.Silence("node-3"));
        Assert.Equal("node-2", _liveness.Sources("node-3")[0].Source);
        Assert.Equal(30 * Second, _liveness.Sources("node-3")[1].Silence);
    }

    [Fact]
    public void Silence_NeitherCoordinatorNorPeersHearIt_Grows()
    {
        _liveness.Heard("node-3");
        for (var i = 0; i < 12; i++)
        {
            _clock.Advance(Second);
            // node-2's prober last heard node-3 when the coordinator did, so its silence grows in step.
            _liveness.Reported("node-2", Says(("node-3", (i + 1) * 1000L)));
        }

        Assert.Equal(12 * Second, _liveness.Silence("node-3"));
    }

    [Fact]
    public void Reported_OlderEvidenceThanKnown_ChangesNothing()
    {
        _liveness.Reported("node-2", Says(("node-3", 100)));
        _clock.Advance(Second);

        _liveness.Reported("node-2", Says(("node-3", 5000))); // a late report: node-2 heard it 5 s ago

        Assert.Equal(TimeSpan.FromMilliseconds(1100), _liveness.Silence("node-3"));
    }

    [Fact]
    public void Reported_AboutTheReporterItself_Ignored()
    {
        _clock.Advance(20 * Second);

        _liveness.Reported("node-2", Says(("node-2", 0)));

        Assert.Equal(20 * Second, _liveness.Silence("node-2"));
        Assert.Empty(_liveness.Sources("node-2"));
    }

    [Fact]
    public void Silence_NothingHeardSinceStart_CountsFromStart()
    {
        _clock.Advance(4 * Second);

        Assert.Equal(4 * Second, _liveness.Silence("node-9"));
        Assert.Empty(_liveness.Sources("node-9"));
    }

    [Fact]
    public void Reset_NewLeader_GraceForEveryoneUntilEvidenceArrives()
    {
        _liveness.Heard("node-1");
        _clock.Advance(60 * Second); // node-1 long silent under the old leader

        _liveness.Reset();
        _clock.Advance(2 * Second);

        Assert.Equal(2 * Second, _liveness.Silence("node-1"));
        Assert.Empty(_liveness.Sources("node-1"));
    }

    [Fact]
    public void Reset_PeerEvidenceOlderThanTheReset_ReplacesTheGrace()
    {
        _clock.Advance(100 * Second);
        _liveness.Reset(); // election
        _clock.Advance(Second);

        // node-3 died 8 s ago, 7 s before the election: its peers say so in their first heartbeats to the new leader.
        _liveness.Reported("node-1", Says(("node-3", 8000)));
        _liveness.Reported("node-2", Says(("node-3", 8100)));

        Assert.Equal(8 * Second, _liveness.Silence("node-3"));
        _clock.Advance(2 * Second);
        Assert.Equal(10 * Second, _liveness.Silence("node-3")); // one failure timeout after it died, not after the election
    }

    [Fact]
    public void Forget_DepartedNode_ItsEvidenceAndItsReportsGo()
    {
        _liveness.Heard("node-2");
        _liveness.Heard("node-3");
        _clock.Advance(5 * Second);
        _liveness.Reported("node-2", Says(("node-3", 0), ("node-4", 0)));
        _clock.Advance(Second);

        _liveness.Forget("node-2");

        Assert.Equal(6 * Second, _liveness.Silence("node-3")); // node-2 vouched for it: only the coordinator's word is left
        Assert.Equal([(Liveness.Direct, 6 * Second)], _liveness.Sources("node-3"));
        Assert.Empty(_liveness.Sources("node-2"));
        Assert.Equal(6 * Second, _liveness.Silence("node-4")); // only node-2 had heard it: back to the grace since start
        Assert.Empty(_liveness.Sources("node-4"));
    }

    [Fact]
    public async Task ConcurrentHeartbeatsAndReports_EveryNodeFreshAfterward()
    {
        var ids = Enumerable.Range(1, 8).Select(i => $"node-{i}").ToArray();
        _clock.Advance(30 * Second);

        await Task.WhenAll(ids.Select(id => Task.Run(() =>
        {
            for (var round = 0; round < 2000; round++)
            {
                _liveness.Heard(id);
                _liveness.Reported(id, ids.ToDictionary(peer => peer, _ => (long)round % 50));
                _ = _liveness.Silence(ids[round % ids.Length]);
                _ = _liveness.Sources(ids[round % ids.Length]);
                if (round % 500 == 0)
                {
                    _liveness.Forget("node-gone");
                }
            }
        })));

        Assert.All(ids, id => Assert.Equal(TimeSpan.Zero, _liveness.Silence(id)));
    }
}
