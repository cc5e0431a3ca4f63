using System.Net;
using System.Text;
using RingKV.Cluster.Coordinator.Group;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Placement;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Cluster.Coordinator;

/// <summary>One client connection to the coordinator: membership commands and cluster views over RESP.</summary>
/// <remarks>
/// Views (CLUSTER_MAP, LIST_NODES…) are answered from this coordinator's map on every member of a group. Membership
/// commands change the map or read what only the leader knows (heartbeat times, rebalance progress), so a follower
/// forwards them to the leader wrapped in <c>RKV.LEADER</c>, which the leader executes and any other member refuses
/// with NOLEADER: a request is forwarded at most once, even while members disagree about who leads.
/// </remarks>
public sealed class CoordinatorSession(EndPoint? remote, CoordinatorServer server) : ServerSession(remote)
{
    private readonly Membership _membership = server.Membership;
    private readonly CoordinatorOptions _options = server.Options;
    private ConfigTable? _config;

    protected override string RoleName => "ringkv-coordinator";

    protected override CommandRoles AdvertisedCommands => CommandRoles.Coordinator;

    // Built on first CONFIG use: most coordinator connections (node heartbeats) never ask.
    protected override ConfigTable ConfigParameters => _config ??= ConnectionConfig(_options.Limits, _options.Bind, _options.Port);

    public override async ValueTask ExecuteAsync(RespRequest request)
    {
        var command = CommandTable.Lookup(request[0]);
        if (TryExecuteConnectionCommand(command, request) || MapReplies.TryExecute(command, request, Writer, _membership.Map))
        {
            return;
        }
        if (command == RespCommand.Coordinators)
        {
            if (request.Count == 1)
            {
                Writer.WriteBulkString(CoordinatorGroupView.ToJson(server));
            }
            else
            {
                WrongArity(request);
            }
            return;
        }
        var forwarded = command == RespCommand.LeaderForward;
        if (forwarded)
        {
            if (request.Count < 2)
            {
                WrongArity(request);
                return;
            }
            command = CommandTable.Lookup(request[1]);
        }
        if (!IsLeaderCommand(command))
        {
            Writer.WriteError(CommandTable.UnknownCommandError(request));
            return;
        }
        if (command is RespCommand.RegisterNode or RespCommand.Heartbeat or RespCommand.SlotsSynced)
        {
            // A node's link to the coordinator (spared by the idle timeout).
            MarkClusterLink();
        }
        if (!_membership.IsLeader)
        {
            WriteValue(forwarded ? CoordinatorServer.NoLeader() : await server.ForwardToLeaderAsync(request));
            return;
        }
        try
        {
            await ExecuteOnLeaderAsync(command, forwarded ? RespRequest.FromArguments(request.Skip(1)) : request);
        }
        catch (NotLeaderException)
        {
            // Deposed while changing the map: what this call committed before stays, the rest is not done. The node
            // retries with another coordinator; membership commands are idempotent (a second registration changes nothing).
            WriteValue(CoordinatorServer.NoLeader());
        }
    }

    private static bool IsLeaderCommand(RespCommand command) => command is RespCommand.RegisterNode or RespCommand.UnregisterNode
        or RespCommand.Decommission or RespCommand.Heartbeat or RespCommand.SlotsSynced or RespCommand.Rebalance or RespCommand.Overview;

    private async Task ExecuteOnLeaderAsync(RespCommand command, RespRequest request)
    {
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
                if (request.Count == 5 && !_membership.Accepts(request.GetString(4)))
                {
                    Writer.WriteError($"CLUSTERMISMATCH this coordinator serves cluster {_membership.Map.ClusterId}; the node belongs to cluster {request.GetString(4)}");
                    return;
                }
                Writer.WriteBulkString((await _membership.RegisterAsync(request.GetString(1), request.GetString(2), port)).ToJson());
                return;
            case RespCommand.UnregisterNode or RespCommand.Decommission when request.Count == 2:
                await DecommissionAsync(request.GetString(1));
                return;
            case RespCommand.Heartbeat when request.Count is >= 2 and <= 5:
                await HeartbeatAsync(request);
                return;
            case RespCommand.SlotsSynced when request.Count == 6:
                await SlotsSyncedAsync(request);
                return;
            case RespCommand.Rebalance when request.Count == 2 && CommandTable.EqualsIgnoreCase(request[1], "STATUS"):
                Writer.WriteBulkString(_membership.Status().ToJson());
                return;
            case RespCommand.Overview when request.Count == 1:
                Writer.WriteBulkString(ClusterOverview.ToJson(server));
                return;
            case RespCommand.Rebalance when request.Count == 2:
                Writer.WriteError("ERR unknown REBALANCE subcommand; try REBALANCE STATUS"u8);
                return;
            default:
                WrongArity(request);
                return;
        }
    }

    // Relays a reply from the leader as it came.
    private void WriteValue(RespValue value)
    {
        switch (value.Type)
        {
            case RespType.Error or RespType.BulkError: Writer.WriteError(value.Bytes ?? []); break;
            case RespType.SimpleString: Writer.WriteSimpleString(value.Bytes ?? []); break;
            case RespType.Integer: Writer.WriteInteger(value.Integer); break;
            case RespType.Null: Writer.WriteNull(); break;
            case RespType.Array:
                Writer.WriteArrayHeader(value.Items.Count);
                foreach (var item in value.Items)
                {
                    WriteValue(item);
                }
                break;
            default: Writer.WriteBulkString(value.Bytes ?? []); break;
        }
    }

    private async Task DecommissionAsync(string id)
    {
        switch (await _membership.DecommissionAsync(id))
        {
            case DecommissionResult.Accepted: Writer.WriteOk(); break;
            case DecommissionResult.AlreadyLeaving: Writer.WriteSimpleString("ALREADY leaving"u8); break;
            case DecommissionResult.LastNode: Writer.WriteError("ERR refusing to decommission the last node: its data would have nowhere to go"u8); break;
            default: Writer.WriteError("ERR no such node"u8); break;
        }
    }

    // HEARTBEAT id [epoch [report [peers]]] -> [coordinator epoch, barrier]: the barrier tells gainers when every live
    // node has seen the transition they wait for. The report is the node's figures as JSON, kept for the dashboard;
    // peers says how long the node has not heard from each peer (PeerEvidence), which keeps a node that only the
    // coordinators lost UP.
    private async Task HeartbeatAsync(RespRequest request)
    {
        var epoch = 0L;
        if (request.Count >= 3 && !long.TryParse(request[2], out epoch))
        {
            Writer.WriteError("ERR invalid epoch"u8);
            return;
        }
        IReadOnlyDictionary<string, long>? peers = null;
        if (request.Count == 5 && !PeerEvidence.TryParse(request.GetString(4), out peers))
        {
            Writer.WriteError("ERR invalid peer evidence; expected id:milliseconds,…"u8);
            return;
        }
        if (!await _membership.HeartbeatAsync(request.GetString(1), epoch, request.Count >= 4 ? request.GetString(3) : null, peers))
        {
            Writer.WriteError("UNKNOWNNODE node is not registered; register again"u8);
            return;
        }
        Writer.WriteArrayHeader(2);
        Writer.WriteInteger(_membership.Map.Epoch);
        Writer.WriteInteger(_membership.Barrier);
    }

    // SLOTS_SYNCED id transition-id slots keys bytes
    private async Task SlotsSyncedAsync(RespRequest request)
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
        if (await _membership.SlotsSyncedAsync(request.GetString(1), transition, slots, keys, bytes)) { Writer.WriteOk(); }
        else { Writer.WriteError("STALETRANSITION that transition is not running (finished, aborted, or the node gains nothing in it)"u8); }
    }

    // Sections: server, clients, memory, cluster; none, "all", "everything" or "default" for all of them, and an
    // unknown section gives an empty reply, as in Redis.
    protected override void AppendInfo(StringBuilder info, string? section)
    {
        var map = _membership.Map;
        var all = section is null or "all" or "everything" or "default";
        if (all || section == "server")
        {
            info.Append("# Server\nredis_version:7.0.0\nringkv_version:").Append(ServerInfo.Version)
                .Append("\nringkv_role:coordinator\nprocess_id:").Append(Environment.ProcessId)
                .Append("\ntcp_port:").Append((LocalEndPoint as IPEndPoint)?.Port ?? _options.Port)
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
            .Append("\nfailure_timeout_ms:").Append((long)_membership.FailureTimeout.TotalMilliseconds)
            .Append("\nremoval_timeout_ms:").Append((long)_membership.RemovalTimeout.TotalMilliseconds)
            .Append("\nring_members:").Append(map.Members.Length)
            .Append("\nrebalancing:").Append(map.Transition is null ? 0 : 1)
            .Append("\ncoordinator_role:").Append(server.Group is null ? "standalone" : _membership.IsLeader ? "leader" : "follower")
            .Append("\ncoordinator_group_size:").Append(server.Group?.Peers.Count ?? 1)
            .Append("\ncoordinator_leader:").Append(server.Group is { } group ? group.LeaderEndpoint ?? "" : $"{_options.Bind}:{server.LocalEndPoint.Port}")
            .Append("\nraft_term:").Append(server.Group?.Term ?? 0).Append('\n');
    }
}
