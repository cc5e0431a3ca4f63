using Microsoft.Extensions.Logging.Abstractions;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Node.Membership;
using RingKV.Node.Replication;
using RingKV.Storage;
using RingKV.Storage.Hints;
using RingKV.Storage.Versioning;

namespace RingKV.Node.Tests;

public sealed class HintedHandoffTests : IAsyncDisposable
{
    private static readonly NodeEntry s_target = new("node-2", "127.0.0.1", 1, NodeState.Down);
    private readonly RespConnectionPool _pool = new();
    private readonly ClusterAgent _agent;
    private readonly InMemoryHintStore _store = new();

    public HintedHandoffTests() => _agent = new ClusterAgent(new NodeOptions { Id = "node-1" }, _pool, NullLogger.Instance);

    private static StoredRecord Record(int i) => StoredRecord.ForValue(new RecordVersion((ulong)i + 1, 1), [(byte)i]);

    [Fact]
    public void Record_QueuesUpToTheBound_ThenDropsAndCounts()
    {
        var handoff = new HintedHandoff(_store, new HintOptions { MaxHintsPerTarget = 3 }, _agent, NullLogger.Instance);
        for (var i = 0; i < 5; i++)
        {
            handoff.Record(s_target, 1, [(byte)i], Record(i));
        }
        Assert.Equal(3, handoff.Pending);
        Assert.Equal(2, handoff.Dropped);
        Assert.Equal([0, 1, 2], _store.ReadOldest("node-2", 10).Select(h => (int)h.Key[0]));
    }

    [Fact]
    public void Constructor_CountsHintsAlreadyInTheStore()
    {
        // A restarted node finds its durable hints again and keeps enforcing the bound on them.
        _store.Append("node-2", 1, [1], Record(1), 0);
        _store.Append("node-3", 1, [2], Record(2), 0);
        var handoff = new HintedHandoff(_store, new HintOptions { MaxHintsPerTarget = 1 }, _agent, NullLogger.Instance);
        Assert.Equal(2, handoff.Pending);
        handoff.Record(s_target, 1, [3], Record(3));
        Assert.Equal(1, handoff.Dropped);
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _pool.DisposeAsync();
        _store.Dispose();
    }
}
