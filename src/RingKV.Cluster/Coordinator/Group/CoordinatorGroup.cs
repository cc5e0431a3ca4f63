using System.Net;
using System.Text;
using DotNext.Net.Cluster;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;
using DotNext.Net.Security;
using RingKV.Cluster.Map;
using RingKV.Net;

namespace RingKV.Cluster.Coordinator.Group;

/// <summary>
/// A coordinator that is one of a group of 1, 3 or 5 replicating the cluster map through Raft
/// (docs/adr/0015-coordinator-group-raft.md): DotNext.Net.Cluster's TCP transport, its write-ahead log, and
/// <see cref="MapStateMachine"/> as the state. Only the leader changes the map; every member serves the map it has applied.
/// </summary>
/// <remarks>
/// Membership of the group is static: <c>--peers</c> on every member lists the same coordinators. Growing or
/// shrinking a running group (Raft configuration changes) is not offered.
/// </remarks>
public sealed class CoordinatorGroup : IMapStore
{
    private readonly RaftCluster _raft;
    private readonly WriteAheadLog _log;
    private readonly MapStateMachine _state;
    private readonly IReadOnlyList<CoordinatorPeer> _peers;
    private readonly ILogger _logger;
    private long _leaderTerm;

    private static readonly TimeSpan CommitTimeout = TimeSpan.FromSeconds(10);

    private CoordinatorGroup(RaftCluster raft, WriteAheadLog log, MapStateMachine state, CoordinatorPeer self, IReadOnlyList<CoordinatorPeer> peers, ILogger logger)
    {
        _raft = raft;
        _log = log;
        _state = state;
        Self = self;
        _peers = peers;
        _logger = logger;
        _raft.LeaderChanged += OnLeaderChanged;
    }

    /// <summary>This coordinator's entry in <c>--peers</c>.</summary>
    public CoordinatorPeer Self { get; }

    public IReadOnlyList<CoordinatorPeer> Peers => _peers;

    public ClusterMap? Current => _state.Map;

    public bool IsLeader => !_raft.LeadershipToken.IsCancellationRequested;

    public long LeaderTerm => IsLeader ? Volatile.Read(ref _leaderTerm) : -1;

    /// <summary>The current Raft term as this member sees it.</summary>
    public long Term => _raft.Term;

    /// <summary>The leader as this member knows it; null during an election or when cut off from the majority.</summary>
    public CoordinatorPeer? Leader => _raft.Leader is { } leader ? PeerAt(leader.EndPoint) : null;

    public string? LeaderEndpoint => Leader?.Endpoint;

    /// <summary>Starts this member: restores the snapshot and the log, then joins the group's elections.</summary>
    /// <param name="directory">Where the log and snapshots live (the coordinator's data directory).</param>
    /// <exception cref="ArgumentException">This coordinator (<paramref name="self"/>) is not among <paramref name="peers"/>.</exception>
    /// <param name="tls">
    /// The cluster's TLS settings: with a certificate, Raft traffic is mutual TLS and a member accepts only peers whose
    /// certificate chains to the CA file (<see cref="TlsSettings.MemberOptions"/>); without, it is plaintext and the
    /// Raft port must be reachable from the private network only.
    /// </param>
    public static async Task<CoordinatorGroup> StartAsync(CoordinatorPeer self, IReadOnlyList<CoordinatorPeer> peers, string directory,
        ILoggerFactory loggers, TlsSettings? tls = null, CancellationToken cancellationToken = default)
    {
        if (!peers.Contains(self))
        {
            throw new ArgumentException($"this coordinator ({self}) is not in --peers", nameof(self));
        }
        var state = new MapStateMachine(new DirectoryInfo(Path.Combine(directory, "raft", "state")));
        await state.RestoreAsync(cancellationToken);
        var log = new WriteAheadLog(new WriteAheadLog.Options
        {
            // Committed entries are flushed before they count (always, in this version): a change nodes saw survives a
            // crash of every member that acknowledged it.
            Location = Path.Combine(directory, "raft", "log"),
        }, state);
        var configuration = new RaftCluster.TcpConfiguration(self.RaftEndPoint())
        {
            // Elections within a second of a leader's death on a loopback or LAN; a heartbeat goes out every half
            // of the lower bound. Requests to a dead peer give up well before the next election would start.
            LowerElectionTimeout = 300,
            UpperElectionTimeout = 600,
            RequestTimeout = TimeSpan.FromMilliseconds(250),
            ConnectTimeout = TimeSpan.FromMilliseconds(250),
            // The members are fixed by --peers (the initial configuration below): nobody bootstraps alone.
            ColdStart = false,
            ConfigurationStorage = null!, // null: the library's in-memory storage, filled below
            LoggerFactory = loggers,
            SslOptions = tls?.Certificate is null ? null : MemberTls(tls),
        };
        var builder = ((InMemoryClusterConfigurationStorage<EndPoint>)configuration.ConfigurationStorage!).CreateInitialConfigurationBuilder();
        foreach (var peer in peers)
        {
            builder.Add(peer.RaftEndPoint());
        }
        builder.Build();
        var raft = new RaftCluster(configuration) { AuditTrail = log };
        var group = new CoordinatorGroup(raft, log, state, self, peers, loggers.CreateLogger("raft"));
        await raft.StartAsync(cancellationToken);
        return group;
    }

    /// <summary>
    /// Each member as this one sees it: leader or not, and whether Raft's last exchange with it succeeded. Only the
    /// leader talks to every member all the time; a follower hears the leader and itself and knows nothing current of
    /// the others (null), so it does not report stale failures.
    /// </summary>
    public IReadOnlyList<(CoordinatorPeer Peer, bool IsLeader, bool? Reachable)> Members()
    {
        var leader = Leader;
        if (!IsLeader)
        {
            return [.. _peers.Select(p => (p, p == leader, p == Self || p == leader ? true : (bool?)null))];
        }
        var status = new Dictionary<CoordinatorPeer, ClusterMemberStatus>();
        foreach (var member in _raft.Members)
        {
            if (PeerAt(member.EndPoint) is { } peer)
            {
                status[peer] = member.IsRemote ? member.Status : ClusterMemberStatus.Available;
            }
        }
        return [.. _peers.Select(p => (p, p == leader, (bool?)(status.GetValueOrDefault(p) == ClusterMemberStatus.Available)))];
    }

    private static SslOptions MemberTls(TlsSettings tls)
    {
        var (server, client) = tls.MemberOptions();
        return new SslOptions { ServerOptions = server, ClientOptions = client };
    }

    private CoordinatorPeer? PeerAt(EndPoint? endPoint) =>
        endPoint is IPEndPoint ip ? _peers.FirstOrDefault(p => p.RaftPort == ip.Port && p.RaftEndPoint().Address.Equals(ip.Address)) : null;

    private void OnLeaderChanged(ICluster cluster, IClusterMember? leader)
    {
        if (leader is { IsRemote: false })
        {
            Volatile.Write(ref _leaderTerm, _raft.Term);
        }
        GroupLog.LeaderChanged(_logger, PeerAt(leader?.EndPoint)?.ToString() ?? "none", _raft.Term);
    }

    public async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _raft.LeadershipToken);
            await _raft.ApplyReadBarrierAsync(linked.Token);
            return IsLeader;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or NotLeaderException or QuorumUnreachableException or ObjectDisposedException)
        {
            return false;
        }
    }

    public async Task<bool> PublishAsync(ClusterMap next, CancellationToken cancellationToken)
    {
        if (!IsLeader || !MapStateMachine.Follows(Current, next))
        {
            return false;
        }
        var applied = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _raft.LeadershipToken);
            // A leader that lost its majority steps down within an election timeout; this bounds the wait should it
            // not (Membership holds its lock meanwhile). If the entry still commits later, it is applied everywhere
            // and the next change, computed from it, follows it; a change computed before it is skipped as stale.
            linked.CancelAfter(CommitTimeout);
            await _raft.ReplicateAsync(Encoding.UTF8.GetBytes(next.ToJson()), applied, linked.Token);
            // Committed; the state machine says whether it was applied (it always is when we still lead).
            return await applied.Task.WaitAsync(linked.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or NotLeaderException or QuorumUnreachableException or ObjectDisposedException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _raft.LeaderChanged -= OnLeaderChanged;
        await _raft.StopAsync(CancellationToken.None);
        _raft.Dispose();
        await _log.DisposeAsync();
        await _state.DisposeAsync();
    }
}

/// <summary>Log messages of the coordinator group; event ids 150–159 (docs/logging.md).</summary>
internal static partial class GroupLog
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "coordinator group leader: {Leader} (term {Term})")]
    public static partial void LeaderChanged(ILogger logger, string leader, long term);
}
