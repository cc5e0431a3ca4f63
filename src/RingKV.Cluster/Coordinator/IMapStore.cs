using RingKV.Cluster.Map;

namespace RingKV.Cluster.Coordinator;

/// <summary>
/// Where the coordinator's map lives and how a change becomes the map: a file for a lone coordinator
/// (<see cref="StandaloneMapStore"/>), a Raft log for a group (<see cref="Group.CoordinatorGroup"/>).
/// <see cref="Membership"/> decides the changes; the store makes them durable (and agreed) before anyone sees them.
/// </summary>
public interface IMapStore : IAsyncDisposable
{
    /// <summary>The last committed map; null before the first (a new cluster, or a group member still catching up).</summary>
    ClusterMap? Current { get; }

    /// <summary>True when this coordinator may change the map: the Raft leader, or a lone coordinator.</summary>
    bool IsLeader { get; }

    /// <summary>
    /// Changes each time this coordinator becomes leader (the Raft term it leads); what it knows only as leader
    /// (heartbeat times, epochs nodes confirmed, rebalance progress) starts afresh when this changes.
    /// </summary>
    long LeaderTerm { get; }

    /// <summary>The RESP address of the leader, if known (this coordinator's own when it leads).</summary>
    string? LeaderEndpoint { get; }

    /// <summary>
    /// Waits until every change committed before this coordinator became leader is in <see cref="Current"/>, so the
    /// next change is computed from the latest map. False when leadership was lost meanwhile.
    /// </summary>
    Task<bool> CatchUpAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Commits <paramref name="next"/> as the map: durable (on a majority, for a group) and in <see cref="Current"/>
    /// when this returns true. False when this coordinator is not (or stopped being) the leader, or the change no
    /// longer follows the current map; nothing is then changed by this call.
    /// </summary>
    Task<bool> PublishAsync(ClusterMap next, CancellationToken cancellationToken);
}
