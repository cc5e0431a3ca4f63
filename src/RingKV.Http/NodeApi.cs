using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RingKV.Cluster;
using RingKV.Net;
using RingKV.Node;
using RingKV.Node.Replication;
using RingKV.Protocol.Commands;

namespace RingKV.Http;

/// <summary>
/// A node's HTTP routes: keys (through the same router as RESP commands, so a key's primary executes it and
/// replication and consistency levels apply alike), the node's view of the map, its repair, and relays of the
/// coordinator's overview and rebalance status so a dashboard or script can start from any node.
/// </summary>
public static class NodeApi
{
    public static void Map(WebApplication app, NodeServer node)
    {
        CommonRoutes.Map(app, node.Context.Metrics.Registry, () => Readiness(node), () => RelayAsync(node, "OVERVIEW"));

        app.MapGet("/v1/kv/{**key}", (string? key, string? consistency) => KeyAsync(node, key, consistency, (k, level) =>
                Execute(node, RespCommand.Get, level, "GET"u8.ToArray(), k)))
            .WithSummary("Read a key: 200 with the value as the body, 404 when absent. ?consistency=ONE|QUORUM|ALL");
        app.MapPut("/v1/kv/{**key}", (string? key, string? consistency, string? ttl, HttpRequest request) => KeyAsync(node, key, consistency, async (k, level) =>
            {
                var (seconds, ttlError) = ParseTtl(ttl);
                if (ttlError is not null)
                {
                    return ttlError;
                }
                var value = await ReadBodyAsync(request);
                return seconds is not null
                    ? await Execute(node, RespCommand.Set, level, "SET"u8.ToArray(), k, value, "EX"u8.ToArray(), Ascii(seconds.Value))
                    : await Execute(node, RespCommand.Set, level, "SET"u8.ToArray(), k, value);
            }))
            .WithSummary("Store the body as the key's value: 204. ?ttl=SECONDS expires it; ?consistency=ONE|QUORUM|ALL");
        app.MapDelete("/v1/kv/{**key}", (string? key, string? consistency) => KeyAsync(node, key, consistency, (k, level) =>
                Execute(node, RespCommand.Del, level, "DEL"u8.ToArray(), k)))
            .WithSummary("Delete a key: 204, or 404 when it did not exist");

        app.MapGet("/v1/cluster", () => Results.Text(ClusterJson.ToJson(node.Agent.Map), "application/json"))
            .WithSummary("This node's cluster map: epoch, nodes and states, ring members, transition, slot ownership");
        app.MapGet("/v1/nodes/{id}", async (string id) => await RelayAsync(node, "OVERVIEW") is { } overview
                ? CommonRoutes.NodeFromOverview(overview, id)
                : CoordinatorUnreachable())
            .WithSummary("One node: address, state, slots and its last report (from the coordinator)");
        app.MapGet("/v1/rebalance", async () => await RelayAsync(node, "REBALANCE", "STATUS") is { } status
                ? Results.Text(status, "application/json")
                : CoordinatorUnreachable())
            .WithSummary("The running (or last) rebalance, from the coordinator");
        app.MapPost("/v1/repair", async (CancellationToken cancellation) => Results.Json(await node.Context.AntiEntropy.RepairAsync(cancellation)))
            .WithSummary("Run anti-entropy on this node now: compare its slots with the other replicas and pull what differs");
    }

    private static string? Readiness(NodeServer node) =>
        !node.Agent.Registered.IsCompleted ? "not registered with the coordinator yet"
        : node.Agent.HasLeft ? "this node has left the cluster"
        : node.Agent.Map.Members.Length == 0 ? "the ring has no members yet"
        : null;

    private static async Task<string?> RelayAsync(NodeServer node, params string[] command)
    {
        try
        {
            var reply = await node.Agent.AskCoordinatorAsync(command);
            return reply.IsError ? null : reply.AsString();
        }
        catch (RespConnectionException)
        {
            return null;
        }
    }

    private static IResult CoordinatorUnreachable() =>
        ApiErrors.Result(StatusCodes.Status503ServiceUnavailable, "CLUSTERDOWN", "the coordinator can not be reached");

    /// <summary>Validates the key and the consistency level, then runs <paramref name="run"/>.</summary>
    private static async Task<IResult> KeyAsync(NodeServer node, string? key, string? consistency, Func<byte[], Consistency?, Task<IResult>> run)
    {
        if (string.IsNullOrEmpty(key))
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "BADKEY", "the key is empty: use /v1/kv/{key}");
        }
        Consistency? level = null;
        if (consistency is not null)
        {
            if (!ConsistencyExtensions.TryParse(consistency, out var parsed))
            {
                return ApiErrors.Result(StatusCodes.Status400BadRequest, "BADCONSISTENCY", $"consistency must be ONE, QUORUM or ALL, not '{consistency}'");
            }
            level = parsed;
        }
        return await run(Encoding.UTF8.GetBytes(key), level);
    }

    private static async Task<IResult> Execute(NodeServer node, RespCommand command, Consistency? level, params byte[][] args)
    {
        var settings = node.Context.Settings;
        var started = Stopwatch.GetTimestamp();
        var reply = await node.Context.Router.ExecuteAsync(command, Array.ConvertAll(args, a => (ReadOnlyMemory<byte>)a),
            level ?? settings.ReadConsistency, level ?? settings.WriteConsistency);
        // Counted with RESP commands: a GET is a GET whichever protocol carried it.
        node.Context.Metrics.RecordCommand(command, reply.IsError, started);
        return reply.Kind switch
        {
            KeyReplyKind.Error => ApiErrors.FromRespError(Encoding.UTF8.GetString(reply.Bytes ?? [])),
            KeyReplyKind.Bulk => Results.Bytes(reply.Bytes ?? [], "application/octet-stream"),
            KeyReplyKind.Null => ApiErrors.Result(StatusCodes.Status404NotFound, "NOTFOUND", "no such key"),
            // DEL answers how many keys it removed: none means there was nothing to delete.
            KeyReplyKind.Integer when command == RespCommand.Del && reply.Integer == 0 => ApiErrors.Result(StatusCodes.Status404NotFound, "NOTFOUND", "no such key"),
            _ => Results.NoContent(),
        };
    }

    private static (long? Seconds, IResult? Error) ParseTtl(string? ttl) =>
        ttl is null ? (null, null)
        : long.TryParse(ttl, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? (seconds, null)
        : (null, ApiErrors.Result(StatusCodes.Status400BadRequest, "BADTTL", $"ttl must be a positive number of seconds, not '{ttl}'"));

    // Kestrel stops the read with a 413 past MaxRequestBodySize (the node's proto-max-bulk-len), so this never
    // buffers more than one value may hold.
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream(request.ContentLength is > 0 and < 1 << 20 ? (int)request.ContentLength : 4096);
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    private static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}
