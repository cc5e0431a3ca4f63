using RingKV.Cluster.Map;

namespace RingKV.Cluster.Coordinator;

/// <summary>A lone coordinator's map: always the leader, each change saved to <see cref="MapFile"/> before it shows.</summary>
public sealed class StandaloneMapStore(MapFile file) : IMapStore
{
    private volatile ClusterMap? _current = file.Load();

    public ClusterMap? Current => _current;

    public bool IsLeader => true;

    public long LeaderTerm => 1;

    public string? LeaderEndpoint { get; init; }

    public Task<bool> CatchUpAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> PublishAsync(ClusterMap next, CancellationToken cancellationToken)
    {
        file.Save(next);
        _current = next;
        return Task.FromResult(true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
