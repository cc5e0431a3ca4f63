using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Coordinator.Group;

namespace RingKV.Http;

/// <summary>
/// The coordinator's HTTP routes: the map, nodes, rebalance progress and decommission, the same operations as its
/// RESP commands (CLUSTER_MAP, OVERVIEW, REBALANCE STATUS, DECOMMISSION) for scripts and dashboards.
/// </summary>
public static class CoordinatorApi
{
    public static void Map(WebApplication app, CoordinatorServer coordinator)
    {
        var membership = coordinator.Membership;
        CommonRoutes.Map(app, coordinator.Metrics.Registry, readiness: () => null,
            overview: () => LeaderDocumentAsync(coordinator, "OVERVIEW", () => ClusterOverview.ToJson(coordinator)));
        app.MapGet("/v1/cluster", () => Results.Text(ClusterJson.ToJson(membership.Map), "application/json"))
            .WithSummary("The cluster map: epoch, nodes and states, ring members, transition, slot ownership");
        app.MapGet("/v1/nodes/{id}", async (string id) => await LeaderDocumentAsync(coordinator, "OVERVIEW", () => ClusterOverview.ToJson(coordinator)) is { } overview
                ? CommonRoutes.NodeFromOverview(overview, id) : NoLeader())
            .WithSummary("One node: address, state, slots and its last report");
        app.MapGet("/v1/rebalance", async () => await LeaderDocumentAsync(coordinator, "REBALANCE STATUS", () => membership.Status().ToJson()) is { } json
                ? Results.Text(json, "application/json")
                : NoLeader())
            .WithSummary("The running (or last) rebalance: slots, keys and bytes moved, rate, ETA");
        // Decommission answers at once (202): the move runs in the background; follow it on /v1/rebalance.
        app.MapPost("/v1/nodes/{id}/decommission", async (string id) => await DecommissionAsync(coordinator, id) switch
        {
            null => NoLeader(),
            DecommissionResult.Accepted => Results.Json(new { node = id, result = "leaving" }, statusCode: StatusCodes.Status202Accepted),
            DecommissionResult.AlreadyLeaving => Results.Json(new { node = id, result = "already leaving" }, statusCode: StatusCodes.Status202Accepted),
            DecommissionResult.LastNode => ApiErrors.Result(StatusCodes.Status409Conflict, "LASTNODE",
                "refusing to decommission the last node: its data would have nowhere to go"),
            _ => ApiErrors.Result(StatusCodes.Status404NotFound, "NOTFOUND", $"no such node: {id}"),
        }).WithSummary("Move a node's data away and take it out of the ring (202; progress on /v1/rebalance)");
        app.MapGet("/v1/coordinators", () => Results.Text(CoordinatorGroupView.ToJson(coordinator), "application/json"))
            .WithSummary("The coordinator group: members, the leader, the Raft term");
    }

    private static IResult NoLeader() =>
        ApiErrors.Result(StatusCodes.Status503ServiceUnavailable, "NOLEADER", "no coordinator leader is reachable from this coordinator");

    // Progress and reports live on the leader: a follower relays its document (null when no leader answers).
    private static async Task<string?> LeaderDocumentAsync(CoordinatorServer coordinator, string command, Func<string> local)
    {
        if (coordinator.Membership.IsLeader)
        {
            return local();
        }
        var reply = await coordinator.ForwardToLeaderAsync([.. command.Split(' ').Select(part => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(part))]);
        return reply.IsError ? null : reply.AsString();
    }

    // A follower asks the leader (DECOMMISSION) and maps its answer back; null when no leader answers.
    private static async Task<DecommissionResult?> DecommissionAsync(CoordinatorServer coordinator, string id)
    {
        if (coordinator.Membership.IsLeader)
        {
            try
            {
                return await coordinator.Membership.DecommissionAsync(id);
            }
            catch (NotLeaderException)
            {
                return null;
            }
        }
        var reply = await coordinator.ForwardToLeaderAsync(["DECOMMISSION"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes(id)]);
        return reply.AsString() switch
        {
            "OK" => DecommissionResult.Accepted,
            "ALREADY leaving" => DecommissionResult.AlreadyLeaving,
            { } text when text.StartsWith("ERR refusing", StringComparison.Ordinal) => DecommissionResult.LastNode,
            { } text when text.StartsWith("ERR no such node", StringComparison.Ordinal) => DecommissionResult.UnknownNode,
            _ => null,
        };
    }
}
