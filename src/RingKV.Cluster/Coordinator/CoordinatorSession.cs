using System.Net;
using System.Text;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Cluster.Coordinator;

/// <summary>One client connection to the coordinator: membership commands and cluster views over RESP.</summary>
public sealed class CoordinatorSession(EndPoint? remote, Membership membership, CoordinatorOptions options) : ServerSession(remote)
{
    private static readonly Dictionary<string, string> s_config = new()
    {
        ["save"] = "",
        ["appendonly"] = "no",
        ["databases"] = "1",
    };

    protected override string RoleName => "ringkv-coordinator";

    protected override IReadOnlyDictionary<string, string> ConfigParameters => s_config;

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
        switch (command)
        {
            case RespCommand.RegisterNode when request.Count == 4:
                if (!int.TryParse(request[3], out var port) || port is <= 0 or > 65535)
                {
                    Writer.WriteError("ERR invalid port"u8);
                    return;
                }
                Writer.WriteBulkString(membership.Register(request.GetString(1), request.GetString(2), port).ToJson());
                return;
            case RespCommand.UnregisterNode when request.Count == 2:
                if (membership.Unregister(request.GetString(1))) { Writer.WriteOk(); }
                else { Writer.WriteError("ERR no such node"u8); }
                return;
            case RespCommand.Heartbeat when request.Count is 2 or 3:
                if (membership.Heartbeat(request.GetString(1))) { Writer.WriteInteger(membership.Map.Epoch); }
                else { Writer.WriteError("UNKNOWNNODE node is not registered; register again"u8); }
                return;
            case RespCommand.RegisterNode or RespCommand.UnregisterNode or RespCommand.Heartbeat:
                WrongArity(request);
                return;
            default:
                Writer.WriteError(CommandTable.UnknownCommandError(request));
                return;
        }
    }

    protected override void AppendInfo(StringBuilder info, string? section)
    {
        var map = membership.Map;
        info.Append("# Server\nredis_version:7.0.0\nringkv_version:").Append(ServerInfo.Version)
            .Append("\nringkv_role:coordinator\ntcp_port:").Append(options.Port)
            .Append("\nuptime_in_seconds:").Append((long)(DateTimeOffset.UtcNow - ServerInfo.StartedAt).TotalSeconds)
            .Append("\n\n# Cluster\ncluster_epoch:").Append(map.Epoch)
            .Append("\ncluster_known_nodes:").Append(map.Nodes.Length)
            .Append("\ncluster_nodes_up:").Append(map.Nodes.Count(n => n.IsUp))
            .Append("\nreplication_factor:").Append(map.ReplicationFactor)
            .Append("\nvirtual_nodes_per_node:").Append(map.VirtualNodesPerNode)
            .Append("\nfailure_timeout_ms:").Append((long)membership.FailureTimeout.TotalMilliseconds).Append('\n');
    }
}
