using RingKV.Fuzz.Servers;

namespace RingKV.IntegrationTests.Fuzzing;

/// <summary>
/// The servers the socket targets talk to, started once for the fuzz test classes: a one-node RingKV cluster
/// (replication factor 1, in-memory storage) and a redis-server (the differential reference).
/// </summary>
public sealed class FuzzServers : IAsyncLifetime
{
    private RingKvNode? _ringkv;
    private RedisServer? _redis;

    internal RingKvNode RingKv => _ringkv ?? throw new InvalidOperationException("the RingKV node has not started");

    internal RedisServer Redis => _redis ?? throw new InvalidOperationException("redis-server has not started");

    public async Task InitializeAsync()
    {
        _ringkv = await RingKvNode.StartAsync();
        _redis = await RedisServer.StartAsync(TimeSpan.FromMinutes(30));
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        if (_ringkv is not null)
        {
            await _ringkv.DisposeAsync();
        }
    }
}
