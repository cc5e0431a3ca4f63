using Microsoft.Extensions.Logging;
using RingKV.Cluster.Coordinator.Group;
using RingKV.Net;
using RingKV.Protocol;

namespace RingKV.Cluster.Coordinator;

/// <summary>
/// The coordinator process: the RESP listener, the map store (a file, or this member's share of the coordinator
/// group's Raft log), and the membership loop (failure detection, removal, transitions) that runs on the leader.
/// </summary>
public sealed class CoordinatorServer : IAsyncDisposable
{
    private readonly RespServer _server;
    private readonly IMapStore _store;
    private readonly RespConnectionPool _leaderLink;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _detector;
    private static readonly ReadOnlyMemory<byte> s_leaderCommand = "RKV.LEADER"u8.ToArray();

    private CoordinatorServer(CoordinatorOptions options, IMapStore store, ILoggerFactory loggers)
    {
        Options = options;
        _store = store;
        Group = store as CoordinatorGroup;
        Membership = new Membership(options, store, loggers.CreateLogger("coordinator"));
        Metrics = new CoordinatorMetrics(Membership);
        // Followers hand membership writes to the leader as the cluster user, as a node would.
        _leaderLink = new RespConnectionPool
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(500), CommandTimeout = TimeSpan.FromSeconds(5), RetryBackoff = TimeSpan.Zero,
            Handshake = options.Security.PeerHandshake, Tls = options.Security.Tls,
        };
        _server = new RespServer(EndpointParser.ToIPEndPoint(options.Bind, options.Port),
            remote => new CoordinatorSession(remote, this), options.Limits, loggers.CreateLogger("resp"))
        {
            Security = options.Security,
        };
        _server.Start();
        _detector = TickAsync();
    }

    /// <summary>Starts the coordinator: alone when <see cref="CoordinatorOptions.Peers"/> is empty, else as a member of the group.</summary>
    /// <exception cref="ArgumentException">This coordinator's address is not among the peers.</exception>
    public static async Task<CoordinatorServer> StartAsync(CoordinatorOptions options, ILoggerFactory loggers)
    {
        IMapStore store = options.Peers.Count == 0
            ? new StandaloneMapStore(new MapFile(options.DataDirectory)) { LeaderEndpoint = $"{options.Bind}:{options.Port}" }
            : await CoordinatorGroup.StartAsync(FindSelf(options), options.Peers, options.DataDirectory, loggers, options.Security.Tls);
        var server = new CoordinatorServer(options, store, loggers);
        // A lone coordinator leads at once: its first map (with the cluster id) exists before it reports ready.
        await server.Membership.TickAsync();
        return server;
    }

    // This coordinator's entry in --peers: the one on its port (and its bind address, when several share the port).
    private static CoordinatorPeer FindSelf(CoordinatorOptions options)
    {
        var onPort = options.Peers.Where(p => p.Port == options.Port).ToArray();
        return (onPort.Length == 1 ? onPort[0] : onPort.FirstOrDefault(p => p.Host == options.Bind))
            ?? throw new ArgumentException($"--peers must include this coordinator ({options.Bind}:{options.Port})");
    }

    public CoordinatorOptions Options { get; }

    public Membership Membership { get; }

    /// <summary>The coordinator group this coordinator belongs to; null for a lone coordinator.</summary>
    public CoordinatorGroup? Group { get; }

    public CoordinatorMetrics Metrics { get; }

    public System.Net.IPEndPoint LocalEndPoint => _server.LocalEndPoint;

    /// <summary>
    /// Sends a membership command to the leader (wrapped in <c>RKV.LEADER</c>, so a member that is not the leader
    /// either answers NOLEADER instead of forwarding again) and returns its reply.
    /// </summary>
    public async Task<RespValue> ForwardToLeaderAsync(IReadOnlyList<ReadOnlyMemory<byte>> command)
    {
        if (_store.LeaderEndpoint is not { } leader || _store.IsLeader)
        {
            return NoLeader();
        }
        try
        {
            var wrapped = new ReadOnlyMemory<byte>[command.Count + 1];
            wrapped[0] = s_leaderCommand;
            for (var i = 0; i < command.Count; i++)
            {
                wrapped[i + 1] = command[i];
            }
            return await _leaderLink.ExecuteAsync(leader, wrapped);
        }
        catch (RespConnectionException ex)
        {
            return new RespValue(RespType.Error, System.Text.Encoding.UTF8.GetBytes($"NOLEADER the coordinator leader {leader} did not answer: {ex.Message}"));
        }
    }

    /// <summary>The error a coordinator answers when no leader can take a membership change.</summary>
    public static RespValue NoLeader() => new(RespType.Error,
        "NOLEADER no coordinator leader is reachable from this coordinator (an election is running, or it is cut off from the majority); try another"u8.ToArray());

    private async Task TickAsync()
    {
        // Check several times per timeout so DOWN is declared within ~timeout + timeout/10; transitions advance on
        // the same tick (and at once on reports), so their barriers cost at most one period more.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(Options.FailureTimeout.TotalMilliseconds / 10, 50, 250));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await Membership.TickAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _detector;
        await _server.DisposeAsync();
        await _leaderLink.DisposeAsync();
        await _store.DisposeAsync();
        Membership.Dispose();
        _stopping.Dispose();
    }
}
