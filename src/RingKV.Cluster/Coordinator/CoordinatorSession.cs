using System.Net;
using System.Text;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Placement;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Cluster.Coordinator;

/// <summary>One client connection to the coordinator: membership commands and cluster views over RESP.</summary>
public sealed class CoordinatorSession(EndPoint? remote, Membership membership, CoordinatorOptions options) : ServerSession(remote)
{
    private ConfigTable? _config;

    protected override string RoleName => "ringkv-coordinator";

    protected override CommandRoles AdvertisedCommands => CommandRoles.Coordinator;

    // Built on first CONFIG use: most coordinator connections (node heartbeats) never ask.
    protected override ConfigTable ConfigParameters => _config ??= ConnectionConfig(options.Limits, options.Bind, options.Port);

    public override ValueTask ExecuteAsync(RespRequest request)
    {
        var command = CommandTable.Lookup(request[0]);
        if (!TryExecuteConnectionCommand(command, request) && !MapReplies.TryExecute(command, request, Writer, membership.Map))
        {
            Execute(command, request);
        }
        return ValueTask.CompletedTask;
    }

    private void Execute(RespCommand command, RespRequest request)
    {
        if (command is RespCommand.RegisterNode or RespCommand.Heartbeat or RespCommand.SlotsSynced)
        {
            // A node's link to the coordinator (spared by the idle timeout).
            MarkClusterLink();
        }
        switch (command)
        {
            case RespCommand.RegisterNode when request.Count is 4 or 5:
                if (!int.TryParse(request[3], out var port) || port is <= 0 or > 65535)
                {
                    Writer.WriteError("ERR invalid port"u8);
                    return;
                }
                // REGISTER_NODE id host port [cluster-id]: a node that belongs to another cluster is refused before
                // it is added (it would join as a new node and drop its data).
                if (request.Count == 5 && !membership.Accepts(request.GetString(4)))
                {
                    Writer.WriteError($"CLUSTERMISMATCH this coordinator serves cluster {membership.Map.ClusterId}; the node belongs to cluster {request.GetString(4)}");
                    return;
                }
                Writer.WriteBulkString(membership.Register(request.GetString(1), request.GetString(2), port).ToJson());
                return;
            case RespCommand.UnregisterNode or RespCommand.Decommission when request.Count == 2:
                Decommission(request.GetString(1));
                return;
            case RespCommand.Heartbeat when request.Count is >= 2 and <= 4:
                Heartbeat(request);
                return;
            case RespCommand.SlotsSynced when request.Count == 6:
                SlotsSynced(request);
                return;
            case RespCommand.Rebalance when request.Count == 2 && CommandTable.EqualsIgnoreCase(request[1], "STATUS"):
                Writer.WriteBulkString(membership.Status().ToJson());
                return;
            case RespCommand.Overview when request.Count == 1:
                Writer.WriteBulkString(ClusterOverview.ToJson(membership));
                return;
            case RespCommand.Rebalance when request.Count == 2:
                Writer.WriteError("ERR unknown REBALANCE subcommand; try REBALANCE STATUS"u8);
                return;
            case RespCommand.RegisterNode or RespCommand.UnregisterNode or RespCommand.Decommission or RespCommand.Heartbeat
                or RespCommand.SlotsSynced or RespCommand.Rebalance or RespCommand.Overview:
                WrongArity(request);
                return;
            default:
                Writer.WriteError(CommandTable.UnknownCommandError(request));
                return;
        }
    }

    private void Decommission(string id)
    {
        switch (membership.Decommission(id))
        {
            case DecommissionResult.Accepted: Writer.WriteOk(); break;
            case DecommissionResult.AlreadyLeaving: Writer.WriteSimpleString("ALREADY leaving"u8); break;
            case DecommissionResult.LastNode: Writer.WriteError("ERR refusing to decommission the last node: its data would have nowhere to go"u8); break;
            default: Writer.WriteError("ERR no such node"u8); break;
        }
    }

    // HEARTBEAT id [epoch [report]] -> [coordinator epoch, barrier]: the barrier tells gainers when every live node
    // has seen the transition they wait for. The report is the node's figures as JSON, kept for the dashboard.
    private void Heartbeat(RespRequest request)
    {
        var epoch = 0L;
        if (request.Count >= 3 && !long.TryParse(request[2], out epoch))
        {
            Writer.WriteError("ERR invalid epoch"u8);
            return;
        }
        if (!membership.Heartbeat(request.GetString(1), epoch, request.Count == 4 ? request.GetString(3) : null))
        {
            Writer.WriteError("UNKNOWNNODE node is not registered; register again"u8);
            return;
        }
        Writer.WriteArrayHeader(2);
        Writer.WriteInteger(membership.Map.Epoch);
        Writer.WriteInteger(membership.Barrier);
    }

    // SLOTS_SYNCED id transition-id slots keys bytes
    private void SlotsSynced(RespRequest request)
    {
        SlotSet slots;
        try
        {
            slots = SlotSet.Parse(request.GetString(3));
        }
        catch (FormatException ex)
        {
            Writer.WriteError("ERR " + ex.Message);
            return;
        }
        if (!long.TryParse(request[2], out var transition) || !long.TryParse(request[4], out var keys) || !long.TryParse(request[5], out var bytes))
        {
            Writer.WriteError("ERR value is not an integer or out of range"u8);
            return;
        }
        if (membership.SlotsSynced(request.GetString(1), transition, slots, keys, bytes)) { Writer.WriteOk(); }
        else { Writer.WriteError("STALETRANSITION that transition is not running (finished, aborted, or the node gains nothing in it)"u8); }
    }

    // Sections: server, clients, memory, cluster; none, "all", "everything" or "default" for all of them, and an
    // unknown section gives an empty reply, as in Redis.
    protected override void AppendInfo(StringBuilder info, string? section)
    {
        var map = membership.Map;
        var all = section is null or "all" or "everything" or "default";
        if (all || section == "server")
        {
            info.Append("# Server\nredis_version:7.0.0\nringkv_version:").Append(ServerInfo.Version)
                .Append("\nringkv_role:coordinator\nprocess_id:").Append(Environment.ProcessId)
                .Append("\ntcp_port:").Append((LocalEndPoint as IPEndPoint)?.Port ?? options.Port)
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
        if (!all && section != "cluster")
        {
            return;
        }
        info.Append("# Cluster\ncluster_epoch:").Append(map.Epoch)
            .Append("\ncluster_known_nodes:").Append(map.Nodes.Length)
            .Append("\ncluster_nodes_up:").Append(map.Nodes.Count(n => n.IsUp))
            .Append("\nreplication_factor:").Append(map.ReplicationFactor)
            .Append("\nvirtual_nodes_per_node:").Append(map.VirtualNodesPerNode)
            .Append("\nfailure_timeout_ms:").Append((long)membership.FailureTimeout.TotalMilliseconds)
            .Append("\nremoval_timeout_ms:").Append((long)membership.RemovalTimeout.TotalMilliseconds)
            .Append("\nring_members:").Append(map.Members.Length)
            .Append("\nrebalancing:").Append(map.Transition is null ? 0 : 1).Append('\n');
    }
}
