using RingKV.Cluster;
using System.Diagnostics;
using System.Net;
using System.Text;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Protocol;
using RingKV.Protocol.Commands;
using RingKV.Storage;

namespace RingKV.Node.Commands;

/// <summary>
/// One connection to a node: dispatches client commands (keys go through <see cref="Routing.KeyRouter"/>),
/// cluster views from the node's map, and the internal node-to-node commands.
/// </summary>
public sealed partial class NodeSession : ServerSession
{
    private readonly NodeContext _node;
    private readonly ConfigTable _config;

    public NodeSession(EndPoint? remote, NodeContext node) : base(remote)
    {
        _node = node;
        ReadLevel = node.Settings.ReadConsistency;
        WriteLevel = node.Settings.WriteConsistency;
        // CONFIG SET of a consistency level changes the node's default for new connections and this connection's
        // level; other open connections keep theirs (as with CONSISTENCY, a level belongs to its connection).
        _config = ConnectionConfig(node.Options.Limits, node.Options.Bind, node.Options.Port)
            .Settable("read-consistency", () => node.Settings.ReadConsistency.Name(), ConfigValues.OneOf("ONE", "QUORUM", "ALL"),
                value => { _ = ConsistencyExtensions.TryParse(value, out var level); ReadLevel = node.Settings.ReadConsistency = level; })
            .Settable("write-consistency", () => node.Settings.WriteConsistency.Name(), ConfigValues.OneOf("ONE", "QUORUM", "ALL"),
                value => { _ = ConsistencyExtensions.TryParse(value, out var level); WriteLevel = node.Settings.WriteConsistency = level; });
        _config.ResetStatistics = node.Stats.Reset;
        node.Stats.ConnectionReceived();
        node.Metrics.ConnectionReceived();
    }

    /// <summary>This connection's read consistency (CONSISTENCY command; node default otherwise).</summary>
    public Consistency ReadLevel { get; private set; }

    public Consistency WriteLevel { get; private set; }

    protected override string RoleName => "ringkv-node";

    protected override CommandRoles AdvertisedCommands => CommandRoles.Node;

    protected override ConfigTable ConfigParameters => _config;

    /// <remarks>
    /// A storage failure (disk full, I/O error) becomes an <c>-IOERR</c> reply for that command only: the write was
    /// not stored, so it is not acknowledged, and the connection stays usable for reads.
    /// </remarks>
    public override ValueTask ExecuteAsync(RespRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var errors = Writer.ErrorsWritten;
        var command = CommandTable.Lookup(request[0]);
        try
        {
            var pending = Dispatch(command, request);
            if (pending.IsCompletedSuccessfully)
            {
                _node.Metrics.RecordCommand(command, Writer.ErrorsWritten != errors, started);
                return pending;
            }
            return GuardAsync(pending, command, errors, started);
        }
        catch (StorageException ex)
        {
            WriteStorageError(ex);
            _node.Metrics.RecordCommand(command, error: true, started);
            return ValueTask.CompletedTask;
        }
    }

    private async ValueTask GuardAsync(ValueTask pending, RespCommand command, long errors, long started)
    {
        try
        {
            await pending;
        }
        catch (StorageException ex)
        {
            WriteStorageError(ex);
        }
        _node.Metrics.RecordCommand(command, Writer.ErrorsWritten != errors, started);
    }

    private void WriteStorageError(StorageException ex) => Writer.WriteError("IOERR storage failure, write not stored: " + ex.Message);

    private ValueTask Dispatch(RespCommand command, RespRequest request)
    {
        _node.Stats.CommandProcessed();
        if (command is RespCommand.Forward or RespCommand.Replicate or RespCommand.ReadRecord or RespCommand.MultiRead
            or RespCommand.Digest or RespCommand.Versions or RespCommand.Pull or RespCommand.ScanSlots or RespCommand.CountSlots
            or RespCommand.Clock or RespCommand.Flush)
        {
            // Sent by other nodes only: this connection is one of their links (spared by the idle timeout).
            MarkClusterLink();
        }
        if (TryExecuteConnectionCommand(command, request) || MapReplies.TryExecute(command, request, Writer, _node.Agent.Map))
        {
            return ValueTask.CompletedTask;
        }
        if (IsKeyCommand(command))
        {
            return ExecuteKeyCommandAsync(command, request);
        }
        if (IsKeyspaceCommand(command))
        {
            return ExecuteKeyspaceCommandAsync(command, request);
        }
        if (IsSlotCopyCommand(command))
        {
            return ExecuteSlotCopyCommand(command, request);
        }
        ExecuteLocal(command, request);
        return ValueTask.CompletedTask;
    }

    private void ExecuteLocal(RespCommand command, RespRequest request)
    {
        switch (command)
        {
            case RespCommand.Cluster:
                ExecuteCluster(request);
                return;
            case RespCommand.Consistency:
                Consistency(request);
                return;
            case RespCommand.Fault:
                Fault(request);
                return;
            case RespCommand.LocalGet when request.Count == 2:
                var record = _node.Replicator.LocalGet(Placement.HashSlot.ForKey(request[1]), request[1]);
                if (record is not null && record.IsLive(_node.Primary.NowMs)) { Writer.WriteBulkString(record.Value); }
                else { Writer.WriteNull(); }
                return;
            case RespCommand.LocalCount when request.Count == 1:
                Writer.WriteInteger(_node.Replicator.Store.CountLive(_node.Primary.NowMs));
                return;
            case RespCommand.Replicate when request.Count == 4:
                Replicate(request);
                return;
            case RespCommand.ReadRecord when request.Count == 3:
                ReadRecord(request);
                return;
            case RespCommand.LocalGet or RespCommand.LocalCount or RespCommand.Replicate or RespCommand.ReadRecord:
                WrongArity(request);
                return;
            default:
                Writer.WriteError(CommandTable.UnknownCommandError(request));
                return;
        }
    }

    private void Consistency(RespRequest request)
    {
        if (request.Count == 1)
        {
            Writer.WriteBulkString($"read={ReadLevel.Name()} write={WriteLevel.Name()}");
            return;
        }
        var target = request.Count == 3 ? request.GetString(1).ToUpperInvariant() : "BOTH";
        if (request.Count > 3 || target is not ("READ" or "WRITE" or "BOTH")
            || !ConsistencyExtensions.TryParse(request.GetString(request.Count - 1), out var level))
        {
            Writer.WriteError("ERR usage: CONSISTENCY [READ|WRITE] ONE|QUORUM|ALL"u8);
            return;
        }
        if (target != "WRITE") { ReadLevel = level; }
        if (target != "READ") { WriteLevel = level; }
        Writer.WriteOk();
    }

    private void Replicate(RespRequest request)
    {
        if (!TryParseSlot(request[1], out var slot))
        {
            return;
        }
        StoredRecord record;
        try
        {
            record = RecordCodec.Decode(request[3]);
        }
        catch (FormatException ex)
        {
            Writer.WriteError("ERR " + ex.Message);
            return;
        }
        Writer.WriteInteger((long)_node.Replicator.Accept(slot, request[2], record));
    }

    private void ReadRecord(RespRequest request)
    {
        if (!TryParseSlot(request[1], out var slot))
        {
            return;
        }
        var record = _node.Replicator.LocalGet(slot, request[2]);
        if (record is null) { Writer.WriteNull(); }
        else { Writer.WriteBulkString(RecordCodec.Encode(record)); }
    }

    private bool TryParseSlot(ReadOnlySpan<byte> text, out int slot)
    {
        if (int.TryParse(text, out slot) && slot is >= 0 and < Placement.HashSlot.Count)
        {
            return true;
        }
        Writer.WriteError("ERR invalid slot"u8);
        return false;
    }

    protected override void AppendInfo(StringBuilder info, string? section)
    {
        var map = _node.Agent.Map;
        var options = _node.Options;
        var all = section is null or "all" or "everything" or "default";
        if (all || section == "server")
        {
            info.Append("# Server\nredis_version:7.0.0\nringkv_version:").Append(ServerInfo.Version)
                .Append("\nringkv_storage:").Append(options.Storage == StorageKind.Memory ? "memory" : "rocksdb")
                .Append("\nringkv_fsync:").Append(options.Fsync.Name())
                .Append("\nringkv_role:node\nringkv_node_id:").Append(options.Id)
                .Append("\nprocess_id:").Append(Environment.ProcessId)
                .Append("\ntcp_port:").Append(options.Port)
                .Append("\nuptime_in_seconds:").Append((long)(DateTimeOffset.UtcNow - ServerInfo.StartedAt).TotalSeconds)
                .Append("\n\n");
        }
        if (all || section == "clients")
        {
            AppendClientsInfo(info);
        }
        if (all || section == "memory")
        {
            AppendMemoryInfo(info);
        }
        if (all || section == "stats")
        {
            info.Append("# Stats\ntotal_connections_received:").Append(_node.Stats.ConnectionsReceived)
                .Append("\ntotal_commands_processed:").Append(_node.Stats.CommandsProcessed)
                .Append("\nringkv_forwarded_commands:").Append(_node.Router.Forwarded).Append("\n\n");
        }
        if (all || section == "replication")
        {
            info.Append("# Replication\nrole:master\nreplication_factor:").Append(map.ReplicationFactor)
                .Append("\nread_consistency:").Append(_node.Settings.ReadConsistency.Name())
                .Append("\nwrite_consistency:").Append(_node.Settings.WriteConsistency.Name())
                .Append("\nhints_pending:").Append(_node.Replicator.Handoff.Pending)
                .Append("\nhints_delivered:").Append(_node.Replicator.Handoff.Delivered)
                .Append("\nhints_dropped:").Append(_node.Replicator.Handoff.Dropped).Append("\n\n");
        }
        if (all || section == "keyspace")
        {
            // This node's copies (primary and replica slots alike), as Redis Cluster nodes report their own; Redis
            // leaves the db0 line out when it is empty.
            info.Append("# Keyspace\n");
            if (_node.Replicator.Store.CountLive(_node.Primary.NowMs) is var local and > 0)
            {
                info.Append("db0:keys=").Append(local).Append(",expires=0,avg_ttl=0\n");
            }
            info.Append('\n');
        }
        if (all || section == "cluster")
        {
            info.Append("# Cluster\ncluster_enabled:1\ncluster_epoch:").Append(map.Epoch)
                .Append("\ncluster_known_nodes:").Append(map.Nodes.Length)
                .Append("\ncluster_nodes_up:").Append(map.Nodes.Count(n => n.IsUp))
                .Append("\ncoordinator:").Append(_node.Agent.Coordinators.Current)
                .Append("\ncoordinators:").Append(_node.Agent.Coordinators).Append('\n');
        }
    }
}
