using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RingKV.Cluster;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Node.Membership;
using RingKV.Node.Replication;
using RingKV.Node.Routing;
using RingKV.Protocol.Commands;
using RingKV.Storage.InMemory;
using RingKV.Storage.Versioning;

namespace RingKV.Node.Tests;

/// <summary>
/// Command semantics at the primary, on a one-node map (RF=1) so no network is involved: what a Redis user
/// expects from SET options, DEL and expiry.
/// </summary>
public sealed class PrimaryExecutorTests : IAsyncDisposable
{
    private readonly ManualClock _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly RespConnectionPool _pool = new();
    private readonly ClusterAgent _agent;
    private readonly PrimaryExecutor _primary;
    private readonly InMemoryKeyValueStore _store = new();

    public PrimaryExecutorTests()
    {
        var options = new NodeOptions { Id = "node-1" };
        _agent = new ClusterAgent(options, _pool, NullLogger.Instance);
        _agent.Offer(new ClusterMap(1, 1, 16, [new NodeEntry("node-1", "127.0.0.1", 1, NodeState.Up)]));
        var handoff = new HintedHandoff(new Storage.Hints.InMemoryHintStore(), new HintOptions(), _agent, NullLogger.Instance, _time);
        var replicator = new Replicator(options, _agent, _store, new HybridLogicalClock(_time), new PeerLinks(TimeSpan.FromSeconds(1), RingKV.Net.ServerSecurity.Open, NullLogger.Instance), handoff, NullLogger.Instance);
        _primary = new PrimaryExecutor(replicator, new KeyLocks(), _time);
    }

    private async Task<KeyReply> Run(params string[] words)
    {
        var args = words.Select(w => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(w)).ToArray();
        var command = CommandTable.Lookup(args[0].Span);
        return await _primary.ExecuteAsync(command, args, Placement.HashSlot.ForKey(args[1].Span), Consistency.Quorum, Consistency.Quorum);
    }

    private static string? Text(KeyReply reply) => reply.Bytes is null ? null : Encoding.UTF8.GetString(reply.Bytes);

    [Fact]
    public async Task SetThenGet_ReturnsValue()
    {
        Assert.Equal(KeyReplyKind.Ok, (await Run("SET", "k", "v")).Kind);
        Assert.Equal("v", Text(await Run("GET", "k")));
        Assert.Equal(KeyReplyKind.Null, (await Run("GET", "missing")).Kind);
    }

    [Fact]
    public async Task SetNx_OnlyWritesAbsentKeys()
    {
        Assert.Equal(KeyReplyKind.Ok, (await Run("SET", "k", "first", "NX")).Kind);
        Assert.Equal(KeyReplyKind.Null, (await Run("SET", "k", "second", "NX")).Kind);
        Assert.Equal("first", Text(await Run("GET", "k")));
    }

    [Fact]
    public async Task SetXx_OnlyWritesPresentKeys()
    {
        Assert.Equal(KeyReplyKind.Null, (await Run("SET", "k", "v", "XX")).Kind);
        Assert.Equal(KeyReplyKind.Null, (await Run("GET", "k")).Kind);
        await Run("SET", "k", "v");
        Assert.Equal(KeyReplyKind.Ok, (await Run("SET", "k", "w", "XX")).Kind);
        Assert.Equal("w", Text(await Run("GET", "k")));
    }

    [Fact]
    public async Task SetGet_ReturnsOldValue()
    {
        Assert.Equal(KeyReplyKind.Null, (await Run("SET", "k", "a", "GET")).Kind);
        Assert.Equal("a", Text(await Run("SET", "k", "b", "GET")));
        Assert.Equal("b", Text(await Run("GET", "k")));
    }

    [Fact]
    public async Task Expiry_HidesKeyOnceReached()
    {
        await Run("SET", "k", "v", "PX", "100");
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal("v", Text(await Run("GET", "k")));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(KeyReplyKind.Null, (await Run("GET", "k")).Kind);
        Assert.Equal(0, (await Run("EXISTS", "k")).Integer);
        Assert.Equal(KeyReplyKind.Ok, (await Run("SET", "k", "again", "NX")).Kind);
    }

    [Fact]
    public async Task KeepTtl_KeepsTheExistingExpiry()
    {
        await Run("SET", "k", "v", "EX", "10");
        await Run("SET", "k", "w", "KEEPTTL");
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(KeyReplyKind.Null, (await Run("GET", "k")).Kind);
    }

    [Fact]
    public async Task Del_CountsOnlyLiveKeys_AndLeavesATombstone()
    {
        await Run("SET", "k", "v");
        Assert.Equal(1, (await Run("DEL", "k")).Integer);
        Assert.Equal(0, (await Run("DEL", "k")).Integer);
        Assert.Equal(KeyReplyKind.Null, (await Run("GET", "k")).Kind);
        Assert.True(_store.TryGet(Placement.HashSlot.ForKey("k"u8), "k"u8, out var record) && record.IsTombstone);
    }

    [Fact]
    public async Task RewriteAfterDelete_WinsOverTheTombstone()
    {
        await Run("SET", "k", "v");
        await Run("DEL", "k");
        await Run("SET", "k", "back");
        Assert.Equal("back", Text(await Run("GET", "k")));
    }

    [Fact]
    public async Task Versions_IncreaseEvenWhenTheClockStandsStill()
    {
        await Run("SET", "k", "1");
        _store.TryGet(Placement.HashSlot.ForKey("k"u8), "k"u8, out var first);
        await Run("SET", "k", "2");
        _store.TryGet(Placement.HashSlot.ForKey("k"u8), "k"u8, out var second);
        Assert.True(second!.Version > first!.Version);
        Assert.Equal("2", Text(await Run("GET", "k")));
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _pool.DisposeAsync();
        _store.Dispose();
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
