using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RingKV.Cluster;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Node.Commands;
using RingKV.Node.Membership;
using RingKV.Node.Replication;
using RingKV.Node.Routing;
using RingKV.Protocol;
using RingKV.Protocol.Commands;
using RingKV.Storage;
using RingKV.Storage.InMemory;
using RingKV.Storage.Versioning;

namespace RingKV.Node.Tests;

/// <summary>
/// One node with in-memory storage and a manual clock. By default it is alone in its map (RF=1), so commands
/// run at its own primary without any network; <c>primaryElsewhere</c> puts the keys on an
/// unreachable peer instead, to show what a session answers without forwarding.
/// </summary>
public sealed class OneNode : IAsyncDisposable
{
    /// <summary>The clock's start: a whole second, so second-based and millisecond-based answers line up.</summary>
    public const long StartMs = 1_700_000_000_000;

    private readonly RespConnectionPool _pool = new();
    private readonly ClusterAgent _agent;
    private readonly HintedHandoff _handoff;
    private readonly NodeSession _session;
    private readonly ArrayBufferWriter<byte> _output = new();

    public OneNode(bool primaryElsewhere = false)
    {
        var options = new NodeOptions { Id = "node-1", Storage = StorageKind.Memory, PeerTimeout = TimeSpan.FromMilliseconds(500) };
        _agent = new ClusterAgent(options, _pool, NullLogger.Instance);
        // Port 1 on loopback refuses connections at once: a forward there fails fast.
        var owner = primaryElsewhere ? new NodeEntry("node-2", "127.0.0.1", 1, NodeState.Up) : new NodeEntry("node-1", "127.0.0.1", 1, NodeState.Up);
        _agent.Offer(new ClusterMap(1, 1, 16, [owner]));
        _handoff = new HintedHandoff(new Storage.Hints.InMemoryHintStore(), new HintOptions(), _agent, NullLogger.Instance, Time);
        var replicator = new Replicator(options, _agent, Store, new HybridLogicalClock(Time), new PeerLinks(TimeSpan.FromSeconds(1), RingKV.Net.ServerSecurity.Open, NullLogger.Instance), _handoff, NullLogger.Instance);
        Primary = new PrimaryExecutor(replicator, new KeyLocks(), Time);
        var copier = new Rebalancing.SlotCopier(replicator, new Rebalancing.TransferThrottle(0), options.TombstoneGrace);
        var context = new NodeContext(options, _agent, replicator, new KeyRouter(options, _agent, replicator, Primary), Primary,
            new Rebalancing.AntiEntropy(options, _agent, replicator, copier, NullLogger.Instance));
        _session = new NodeSession(null, context);
        _session.Writer.Reset(_output);
    }

    public ManualClock Time { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(StartMs));

    public InMemoryKeyValueStore Store { get; } = new();

    public PrimaryExecutor Primary { get; }

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Executes at the primary, as the router or a forward does (no validation at a session first).</summary>
    public async Task<KeyReply> Run(params string[] words)
    {
        var args = words.Select(w => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(w)).ToArray();
        var command = CommandTable.Lookup(args[0].Span);
        return await Primary.ExecuteAsync(command, args, Placement.HashSlot.ForKey(args[1].Span), Consistency.Quorum, Consistency.Quorum);
    }

    public async Task<long> Integer(params string[] words)
    {
        var reply = await Run(words);
        Assert.True(reply.Kind == KeyReplyKind.Integer, $"{string.Join(' ', words)} answered {Describe(reply)}");
        return reply.Integer;
    }

    /// <summary>The bulk reply as text, or null for a nil reply.</summary>
    public async Task<string?> Value(params string[] words)
    {
        var reply = await Run(words);
        Assert.True(reply.Kind is KeyReplyKind.Bulk or KeyReplyKind.Null, $"{string.Join(' ', words)} answered {Describe(reply)}");
        return reply.Kind == KeyReplyKind.Null ? null : Encoding.UTF8.GetString(reply.Bytes!);
    }

    public async Task<string> Error(params string[] words)
    {
        var reply = await Run(words);
        Assert.True(reply.IsError, $"{string.Join(' ', words)} answered {Describe(reply)}");
        return Encoding.UTF8.GetString(reply.Bytes!);
    }

    /// <summary>Sends the request through a client session (arity, validation, routing); returns the raw RESP reply.</summary>
    public async Task<string> Session(params string[] words)
    {
        _output.Clear();
        await _session.ExecuteAsync(RespRequest.FromStrings(words));
        return Encoding.UTF8.GetString(_output.WrittenSpan);
    }

    /// <summary>What this node's store holds for <paramref name="key"/> (tombstones and expired records included).</summary>
    public StoredRecord? Stored(string key) =>
        Store.TryGet(Placement.HashSlot.ForKey(Encoding.UTF8.GetBytes(key)), Encoding.UTF8.GetBytes(key), out var record) ? record : null;

    private static string Describe(KeyReply reply) =>
        $"{reply.Kind} {(reply.Bytes is null ? reply.Integer.ToString() : Encoding.UTF8.GetString(reply.Bytes))}";

    public async ValueTask DisposeAsync()
    {
        await _handoff.DisposeAsync();
        await _agent.DisposeAsync();
        await _pool.DisposeAsync();
        Store.Dispose();
    }
}
