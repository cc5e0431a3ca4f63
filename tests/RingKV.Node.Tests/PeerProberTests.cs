using Microsoft.Extensions.Logging.Abstractions;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Node.Membership;
using RingKV.Node.Routing;

namespace RingKV.Node.Tests;

/// <summary>
/// What a node tells the coordinator about its peers: node-2 is a live RingKV process on loopback (a coordinator
/// answers PING as any role does), node-3 is down (port 1 refuses connections at once).
/// </summary>
public sealed class PeerProberTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ringkv-prober-tests-" + Guid.NewGuid().ToString("N"));
    private readonly CoordinatorServer _live;
    private readonly RespConnectionPool _pool = new();
    private readonly ClusterAgent _agent;
    // Generous real-time deadlines: the live peer's first answer pays a cold connect and JIT in a test process that
    // shares a loaded CI machine (a 1 s deadline once lost that race); the dead peer refuses at once regardless.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly PeerLinks _peers = new(Generous, ServerSecurity.Open, NullLogger.Instance);
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly PeerProber _prober;

    public PeerProberTests()
    {
        // Any RESP server answers PING; a lone coordinator starts without waiting on anything.
        _live = CoordinatorServer.StartAsync(new CoordinatorOptions { Port = 0, DataDirectory = _directory }, NullLoggerFactory.Instance).GetAwaiter().GetResult();
        var options = new NodeOptions { Id = "node-1", HeartbeatInterval = Generous, PeerTimeout = Generous };
        _agent = new ClusterAgent(options, _pool, NullLogger.Instance);
        _agent.Offer(Map(1, "node-1", "node-2", "node-3"));
        _prober = new PeerProber(options, _agent, _peers, _clock);
    }

    private ClusterMap Map(long epoch, params string[] ids) => new(epoch, 1, 16,
    [
        .. ids.Select(id => new NodeEntry(id, "127.0.0.1", id == "node-2" ? _live.LocalEndPoint.Port : 1, NodeState.Up)),
    ]);

    [Fact]
    public void Silences_BeforeAnyProbe_EveryPeerSinceTheStartNotItself()
    {
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(new Dictionary<string, long> { ["node-2"] = 3000, ["node-3"] = 3000 }, _prober.Silences());
    }

    [Fact]
    public async Task Silences_AfterAProbe_LivePeerFromItsAnswerDeadPeerStillFromTheStart()
    {
        _clock.Advance(TimeSpan.FromSeconds(3));

        await _prober.ProbeAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(500));

        var silences = _prober.Silences();
        Assert.Equal(500, silences["node-2"]);
        Assert.Equal(3500, silences["node-3"]);
    }

    [Fact]
    public async Task Silences_PeerLeftTheMap_NoLongerReported()
    {
        await _prober.ProbeAsync();

        _agent.Offer(Map(2, "node-1", "node-3"));
        await _prober.ProbeAsync();

        Assert.Equal(["node-3"], _prober.Silences().Keys);
    }

    [Fact]
    public void ProbeTimeout_NeverLongerThanTheInterval()
    {
        var options = new NodeOptions { Id = "node-1", HeartbeatInterval = TimeSpan.FromMilliseconds(250), PeerTimeout = TimeSpan.FromSeconds(2) };

        Assert.Equal(TimeSpan.FromMilliseconds(250), new PeerProber(options, _agent, _peers).ProbeTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), new PeerProber(options, _agent, _peers) { Interval = TimeSpan.FromMilliseconds(100) }.ProbeTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _prober.DisposeAsync();
        await _agent.DisposeAsync();
        await _peers.DisposeAsync();
        await _pool.DisposeAsync();
        await _live.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
