using RingKV.Cluster;
using Microsoft.Extensions.Logging;
using RingKV.Cluster.Map;
using RingKV.Node.Membership;
using RingKV.Node.Routing;
using RingKV.Storage;
using RingKV.Storage.Versioning;

namespace RingKV.Node.Replication;

/// <summary>
/// Quorum reads and writes over a slot's replicas, executed by the node acting as the slot's primary.
/// </summary>
/// <remarks>
/// Writes: the record (already versioned by the caller) is applied locally and sent to every other reachable
/// replica at once; the call returns as soon as the required number of copies acknowledged it, and the other
/// replications finish in the background. Reads: this node's copy and every other reachable replica are asked; the
/// newest of the first answers the level needs wins, and those that answered with an older copy get the newest one
/// written back before the read returns (its version unchanged, so this is idempotent and never overrides a newer
/// write).
/// A replica that does not answer counts as a failure at once, not after the coordinator notices.
/// Thread-safe; one instance per node.
/// </remarks>
public sealed class Replicator
{
    private readonly NodeOptions _options;
    private readonly ClusterAgent _agent;
    private readonly ILogger _logger;
    // Stripes of the per-key critical section that versions a write and queues it to the replicas (see WriteAsync),
    // chosen by the key's slot: already computed, and one key always has one slot.
    private readonly Lock[] _dispatchOrder = [.. Enumerable.Range(0, 256).Select(_ => new Lock())];
    private ulong _flushHorizon;

    public Replicator(NodeOptions options, ClusterAgent agent, IKeyValueStore store, HybridLogicalClock clock, PeerLinks peers, HintedHandoff handoff, ILogger logger)
    {
        Peers = peers;
        Handoff = handoff;
        _options = options;
        _agent = agent;
        Store = store;
        Clock = clock;
        _logger = logger;
        NodeTag = System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(options.Id));
    }

    public IKeyValueStore Store { get; }

    /// <summary>Connections to the other nodes.</summary>
    public PeerLinks Peers { get; }

    /// <summary>Where writes missed by a replica wait for it.</summary>
    public HintedHandoff Handoff { get; }

    public HybridLogicalClock Clock { get; }

    /// <summary>This node's tie-breaker in record versions: a stable hash of its id.</summary>
    public uint NodeTag { get; }

    /// <summary>A version strictly above the timestamp <paramref name="floor"/> and everything this node issued before.</summary>
    public RecordVersion NextVersion(ulong floor) => new(Clock.NextAfter(floor), NodeTag);

    public StoredRecord? LocalGet(int slot, ReadOnlySpan<byte> key) => Store.TryGet(slot, key, out var record) ? record : null;

    /// <summary>The version of this node's copy of the key (tombstones included), without reading its value.</summary>
    public RecordVersion? LocalVersion(int slot, ReadOnlySpan<byte> key) =>
        Store.TryGetHeader(slot, key, out var header) ? header.Version : null;

    /// <summary>
    /// Records stamped at or before this HLC timestamp were deleted by FLUSHALL: a copy of one that arrives late
    /// (replication in flight, a hint being delivered, a peer not flushed yet) is refused rather than brought back.
    /// Kept in memory: after a restart nothing old is in flight any more.
    /// </summary>
    public ulong FlushHorizon => Volatile.Read(ref _flushHorizon);

    /// <summary>Applies a record received from another node (replication, hints, repair, slot copies).</summary>
    public ApplyResult ApplyReplica(int slot, ReadOnlySpan<byte> key, StoredRecord record)
    {
        // Observing remote versions keeps this node's next writes above them if it becomes primary.
        Clock.Observe(record.Version.Timestamp);
        return ApplyLocal(slot, key, record);
    }

    /// <summary>
    /// Applies a record sent by a writing primary (<c>RKV.REPLICATE</c>) and says whether this node now holds it:
    /// 0 when it does (stored now, or held already), otherwise the timestamp a version must exceed to be stored
    /// here (of the newer record it keeps, or the FLUSHALL horizon that covers the record).
    /// </summary>
    /// <remarks>See <see cref="WriteOutcome.Superseded"/> for why the writer needs to know.</remarks>
    public ulong Accept(int slot, ReadOnlySpan<byte> key, StoredRecord record)
    {
        Clock.Observe(record.Version.Timestamp);
        return Hold(slot, key, record);
    }

    /// <summary><see cref="Accept"/> without observing the record's clock (this node versioned it).</summary>
    private ulong Hold(int slot, ReadOnlySpan<byte> key, StoredRecord record)
    {
        if (ApplyLocal(slot, key, record) == ApplyResult.Applied)
        {
            return 0;
        }
        var held = LocalVersion(slot, key);
        if (held == record.Version)
        {
            return 0;
        }
        return Math.Max(held?.Timestamp ?? 0, record.Version.Timestamp <= FlushHorizon ? FlushHorizon : 0);
    }

    /// <summary>Stores a record this node versioned or already observed, unless a FLUSHALL deleted it.</summary>
    private ApplyResult ApplyLocal(int slot, ReadOnlySpan<byte> key, StoredRecord record) =>
        record.Version.Timestamp <= FlushHorizon ? ApplyResult.Stale : Store.Apply(slot, key, record);

    /// <summary>
    /// FLUSHALL on this node: from now on every record stamped at or before <paramref name="horizon"/> counts as
    /// deleted, and this node's own clock moves past it, so writes it coordinates afterwards survive the flush.
    /// </summary>
    /// <param name="horizon">The highest clock of all nodes when the flush began (so every write acknowledged
    /// before it is at or below), see <see cref="Keyspace.ClusterKeyspace.FlushAsync"/>.</param>
    public void Flush(ulong horizon)
    {
        Clock.Observe(horizon);
        ulong current;
        while ((current = FlushHorizon) < horizon && Interlocked.CompareExchange(ref _flushHorizon, horizon, current) != current)
        {
        }
        Store.Clear();
        Handoff.DiscardAll();
    }

    /// <summary>Faults this node may be told to commit (tests only; disabled unless started with --fault-injection).</summary>
    public Faults.FaultInjection Faults { get; init; } = RingKV.Node.Faults.FaultInjection.Disabled;

    /// <summary>
    /// The planted bug the consistency checkers must catch: answer as if the quorum acknowledged, and send the
    /// replicas their copies only later. A primary killed in between loses acknowledged writes.
    /// </summary>
    private WriteOutcome AcknowledgeBeforeReplicating(int slot, ReadOnlyMemory<byte> key, StoredRecord record, Consistency level)
    {
        ApplyReplica(slot, key.Span, record);
        var owned = key.ToArray();
        _ = Task.Run(async () =>
        {
            await Task.Delay(Faults.DeferredReplication);
            foreach (var replica in _agent.Map.WriteReplicas(slot).All.Where(r => r.Id != _options.Id))
            {
                await ReplicateOrHintAsync(replica, slot, owned, record);
            }
        });
        var required = level.Required(_agent.Map.PreferenceList(slot).Length);
        return new WriteOutcome(true, required, required);
    }

    /// <summary>The record as reads may see it: null when FLUSHALL deleted it (see <see cref="FlushHorizon"/>).</summary>
    private StoredRecord? Visible(StoredRecord? record) => record is not null && record.Version.Timestamp <= FlushHorizon ? null : record;

    /// <summary>True when <paramref name="replicas"/> is this node alone: the only copy of the slot is here.</summary>
    private bool IsSoleCopy(NodeEntry[] replicas) => replicas.Length == 1 && replicas[0].Id == _options.Id;

    /// <summary>True when this node could reach <paramref name="node"/> as far as it knows right now.</summary>
    public bool IsAvailable(NodeEntry node) =>
        node.Id == _options.Id || Peers.IsReachable(node);

    /// <summary>
    /// Versions <paramref name="draft"/> above the timestamp <paramref name="floor"/> (and everything this node issued
    /// before), stores it here if this node holds the slot and sends it to every other replica; returns once the
    /// level's quorum acknowledged (in both lists while the ring changes, see <see cref="WriteQuorum"/>).
    /// </summary>
    /// <remarks>
    /// The version is taken in the same critical section (a stripe per slot) that hands the record to each replica's
    /// connection. Replication uses one pipelined connection per peer and a replica applies <c>RKV.REPLICATE</c> in
    /// arrival order, so every replica receives this primary's writes to a key in version order. Otherwise two
    /// concurrent SETs of one key could reach two replicas in opposite orders: each replica would refuse one of them
    /// as superseded, and the older write would end with NOREPLICAS although nothing but its concurrent successor
    /// replaced it (measured: <c>redis-benchmark</c> without <c>-r</c> writes one key from every client).
    /// </remarks>
    public async ValueTask<WriteOutcome> WriteAsync(int slot, ReadOnlyMemory<byte> key, RecordDraft draft, ulong floor, Consistency level)
    {
        if (Faults.AcknowledgeBeforeReplicating)
        {
            return AcknowledgeBeforeReplicating(slot, key, draft.Stamp(NextVersion(floor)), level);
        }
        var replicas = _agent.Map.WriteReplicas(slot);
        if (IsSoleCopy(replicas.Current) && replicas.Target is null)
        {
            // Replication factor 1 (or a one-node cluster): no quorum to count, no list to build, no order to keep.
            var only = draft.Stamp(NextVersion(floor));
            var newer = Hold(slot, key.Span, only);
            return new WriteOutcome(newer == 0, newer == 0 ? 1 : 0, 1, newer, RetrySafe: newer != 0);
        }
        var quorum = new WriteQuorum(replicas, level);
        // Parallel lists: WhenAny takes the task list as it is, with no per-round projection on the write path.
        List<string>? remoteNodes = null;
        List<Task<ReplicaAck>>? remoteAcks = null;
        ulong superseded = 0;
        // Whether some copy holds this attempt, or may (a hint queued, a replica that did not answer): then a reader
        // may have seen it, and it must never be written again under a newer version (ADR 0009, "Known flaw").
        var stored = false;
        var localPending = false;
        StoredRecord record;
        // No await inside. Each send below takes its place on the peer's connection before it returns, and the pool keeps
        // that order even while the connection is being opened (RespConnectionPool).
        lock (_dispatchOrder[slot % _dispatchOrder.Length])
        {
            record = draft.Stamp(NextVersion(floor));
            foreach (var replica in replicas.All)
            {
                if (replica.Id == _options.Id)
                {
                    localPending = true;
                }
                else if (IsAvailable(replica))
                {
                    (remoteNodes ??= []).Add(replica.Id);
                    (remoteAcks ??= []).Add(ReplicateOrHintAsync(replica, slot, key, record));
                }
                else
                {
                    Hint(replica, slot, key.Span, record);
                    stored = true;
                }
            }
        }

        // This node's copy is stored once another copy holds the attempt (or may), or when there is no other copy.
        // Storing it first, in parallel, let a reader see an attempt that every other copy then refused: the attempt
        // was written again above them and came back after later writes. When this copy alone meets the level
        // (W = 1) it still goes first, since its own answer then decides the write.
        void StoreLocal()
        {
            localPending = false;
            // Through the flush check too: a write stamped before a FLUSHALL that lands after it stays flushed.
            var newer = Hold(slot, key.Span, record);
            if (newer == 0)
            {
                quorum.Acknowledge(_options.Id);
                stored = true;
            }
            superseded = Math.Max(superseded, newer);
        }

        if (localPending && replicas.Target is null && level.Required(replicas.Current.Length) <= 1)
        {
            StoreLocal();
        }
        while (!quorum.IsMet)
        {
            var remotesLeft = remoteAcks is { Count: > 0 };
            if (localPending && (stored || remoteNodes is null))
            {
                StoreLocal();
                continue;
            }
            if (!remotesLeft)
            {
                // Every other copy refused with a newer version (or there is nothing left to wait for).
                break;
            }
            var done = await Task.WhenAny(remoteAcks!);
            var index = remoteAcks!.IndexOf(done);
            var ack = await done;
            if (ack.Holds)
            {
                quorum.Acknowledge(remoteNodes![index]);
            }
            // A replica that did not answer may have applied it (and has a hint queued): stored, as far as we know.
            stored |= ack.Holds || !ack.Answered;
            superseded = Math.Max(superseded, ack.Newer);
            remoteAcks.RemoveAt(index);
            remoteNodes!.RemoveAt(index);
        }
        if (localPending && stored)
        {
            // The quorum was met elsewhere (or failed after another copy stored it): this copy still gets the write.
            StoreLocal();
        }
        if (superseded != 0)
        {
            // A remote version like any other: this node's next versions must go above it.
            Clock.Observe(superseded);
        }
        // Writing again is safe only if this attempt was stored nowhere: then no reader can have seen it. During a ring
        // transition there is no retry at all.
        var retrySafe = replicas.Target is null && !stored;
        return quorum.IsMet ? quorum.Outcome() : quorum.Outcome(superseded, retrySafe);
    }

    /// <summary>
    /// Reads the newest record from as many replicas as <paramref name="level"/> needs: this node's copy (it costs
    /// nothing), and every other reachable replica at once, taking the first answers.
    /// </summary>
    /// <remarks>
    /// <para>Asking every replica costs one remote read more than the level needs (N = 3, QUORUM), but a slow or
    /// paused replica then never slows a read. Asking only as many as needed was measured: one paused node made the
    /// reads that asked it wait the whole peer timeout, and the nodes that had forwarded those reads then timed out
    /// on healthy peers and suspected them too (the pause nemesis, about a tenth of requests failing). A speculative
    /// second request after a short delay would keep the saving; it is not built yet.</para>
    /// <para>The replicas a read heard from are made to agree before it returns (<see cref="WriteBackAsync"/>),
    /// which is what makes QUORUM reads linearizable; late answers are not waited for. Copies elsewhere are brought
    /// up to date by hints and anti-entropy.</para>
    /// </remarks>
    public async ValueTask<ReadOutcome> ReadAsync(int slot, ReadOnlyMemory<byte> key, Consistency level)
    {
        var replicas = _agent.Map.PreferenceList(slot);
        if (IsSoleCopy(replicas))
        {
            // Replication factor 1: the local copy is the answer at every level, with nothing to compare or repair.
            return new ReadOutcome(true, Visible(LocalGet(slot, key.Span)), 1, 1);
        }
        var required = level.Required(replicas.Length);
        var heard = new List<(NodeEntry Node, StoredRecord? Record)>(required);
        StoredRecord? newest = null;
        foreach (var replica in replicas)
        {
            if (replica.Id == _options.Id)
            {
                newest = Visible(LocalGet(slot, key.Span));
                heard.Add((replica, newest));
            }
        }
        if (heard.Count < required)
        {
            // Remote reads may outlive the request whose buffer holds the key (a slow one is abandoned): own it.
            key = key.ToArray();
            var asked = new List<NodeEntry>(replicas.Length);
            var answers = new List<Task<(bool Ok, StoredRecord? Record)>>(replicas.Length);
            foreach (var replica in replicas)
            {
                if (replica.Id != _options.Id && IsAvailable(replica))
                {
                    asked.Add(replica);
                    answers.Add(ReadRemoteAsync(replica, slot, key));
                }
            }
            while (heard.Count < required && answers.Count > 0)
            {
                var done = await Task.WhenAny(answers);
                var index = answers.IndexOf(done);
                var (ok, record) = await done;
                if (ok)
                {
                    heard.Add((asked[index], Visible(record)));
                    newest = MergeRule.Newest(newest, Visible(record));
                }
                asked.RemoveAt(index);
                answers.RemoveAt(index);
            }
        }
        if (heard.Count < required)
        {
            return new ReadOutcome(false, newest, heard.Count, required);
        }
        // The common case, every answer alike, returns without a write-back (and without allocating for one).
        if (newest is null || AllHold(heard, newest))
        {
            return new ReadOutcome(true, newest, heard.Count, required);
        }
        var holders = await WriteBackAsync(slot, key, newest, heard);
        return new ReadOutcome(holders >= required, newest, holders, required);
    }

    private static bool AllHold(List<(NodeEntry Node, StoredRecord? Record)> heard, StoredRecord newest)
    {
        foreach (var (_, record) in heard)
        {
            if (record is null || record.Version != newest.Version)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The second phase of a quorum read (as in ABD's register): when the replicas that answered disagree, the newest
    /// record is written back to those that lack it before the read returns, so a quorum holds what the read returns
    /// and no later read can return anything older. Without it, two reads overlapping one write could see the new
    /// value and then the old one (the nemesis tests found exactly that). Costs a round trip only on disagreement.
    /// </summary>
    /// <returns>How many of the answering replicas now hold <paramref name="newest"/>.</returns>
    private async Task<int> WriteBackAsync(int slot, ReadOnlyMemory<byte> key, StoredRecord newest, List<(NodeEntry Node, StoredRecord? Record)> heard)
    {
        var holders = heard.Count(h => h.Record is { } r && r.Version == newest.Version);
        var written = await Task.WhenAll(heard.Where(h => h.Record is not { } r || r.Version != newest.Version).Select(async h =>
        {
            if (h.Node.Id == _options.Id)
            {
                ApplyReplica(slot, key.Span, newest);
                return true;
            }
            // A replica that holds something newer still holds nothing older than what this read returns.
            return (await ReplicateAsync(h.Node, slot, key, newest)).Answered;
        }));
        return holders + written.Count(ok => ok);
    }

    private async Task<ReplicaAck> ReplicateOrHintAsync(NodeEntry replica, int slot, ReadOnlyMemory<byte> key, StoredRecord record)
    {
        var ack = await ReplicateAsync(replica, slot, key, record);
        if (!ack.Answered)
        {
            // Unknown outcome (it may have applied it): a hint is harmless either way, the same version merges once.
            Hint(replica, slot, key.Span, record);
        }
        return ack;
    }

    private void Hint(NodeEntry replica, int slot, ReadOnlySpan<byte> key, StoredRecord record)
    {
        try
        {
            Handoff.Record(replica, slot, key, record);
        }
        catch (StorageException ex)
        {
            // The write itself reached its quorum or failed on its own merits; a lost hint only delays the replica.
            ReplicatorLog.HintNotStored(_logger, replica.Id, ex);
        }
    }

    /// <summary>Sends <paramref name="record"/> to <paramref name="replica"/> and says what it now holds.</summary>
    public async Task<ReplicaAck> ReplicateAsync(NodeEntry replica, int slot, ReadOnlyMemory<byte> key, StoredRecord record)
    {
        var reply = await Peers.CallAsync(replica, [InternalCommands.Replicate, SlotArg(slot), key, RecordCodec.Encode(record)], PeerTraffic.Replication);
        return reply is { IsError: false, Integer: >= 0 } ? new ReplicaAck(true, (ulong)reply.Integer) : ReplicaAck.NoAnswer;
    }

    private async Task<(bool, StoredRecord?)> ReadRemoteAsync(NodeEntry replica, int slot, ReadOnlyMemory<byte> key)
    {
        var reply = await Peers.CallAsync(replica, [InternalCommands.ReadRecord, SlotArg(slot), key], PeerTraffic.Replication);
        if (reply is null || reply.IsError)
        {
            return (false, null);
        }
        return (true, reply.IsNull ? null : RecordCodec.Decode(reply.Bytes));
    }

    private static byte[] SlotArg(int slot) => System.Text.Encoding.ASCII.GetBytes(slot.ToString());
}

/// <summary>How a quorum write ended.</summary>
/// <param name="Superseded">
/// When the write fell short because replicas already held a newer version of the key: the highest such timestamp
/// (0 otherwise). A copy counts as acknowledged only where the record is now the newest, because a copy that lost to
/// a newer version is not what that replica serves. The writer's own copy can be stale: it stands in for a primary
/// it could not reach, or restarted and missed writes, and its clock may run behind. Then the version it chose can
/// lie below a write acknowledged before this one began. Quorums intersect, so such a write is always refused by at
/// least one replica of every write quorum; the primary re-versions above <c>Superseded</c> and writes again (see
/// <see cref="PrimaryExecutor"/>), and an acknowledged write is always ordered after every write that completed
/// before it began. The nemesis tests found the anomaly this prevents, under clock skew and slow links.
/// </param>
/// <param name="RetrySafe">
/// The record was stored nowhere (every copy that answered holds something newer, and no hint was queued), so no
/// read can have returned it and the primary may version it again and write it again. Otherwise the write ends with
/// an unknown outcome.
/// </param>
public readonly record struct WriteOutcome(bool Succeeded, int Acknowledged, int Required, ulong Superseded = 0, bool RetrySafe = false);

/// <summary>How a replica answered <c>RKV.REPLICATE</c>.</summary>
/// <param name="Answered">False when it did not answer (unreachable, timed out, error): the outcome is unknown.</param>
/// <param name="Newer">0 when it now holds the record; else the timestamp of the newer version it keeps instead.</param>
public readonly record struct ReplicaAck(bool Answered, ulong Newer)
{
    public static readonly ReplicaAck NoAnswer = new(false, 0);

    /// <summary>The replica now holds exactly this record: an acknowledgement that counts toward the quorum.</summary>
    public bool Holds => Answered && Newer == 0;
}

/// <summary>How a quorum read ended; <see cref="Newest"/> may be a tombstone or expired record.</summary>
public readonly record struct ReadOutcome(bool Succeeded, StoredRecord? Newest, int Answered, int Required);
