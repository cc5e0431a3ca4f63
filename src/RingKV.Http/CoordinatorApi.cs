using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RingKV.Cluster.Coordinator;

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
            overview: () => Task.FromResult<string?>(ClusterOverview.ToJson(membership)));
        app.MapGet("/v1/cluster", () => Results.Text(ClusterJson.ToJson(membership.Map), "application/json"))
            .WithSummary("The cluster map: epoch, nodes and states, ring members, transition, slot ownership");
        app.MapGet("/v1/nodes/{id}", (string id) => CommonRoutes.NodeFromOverview(ClusterOverview.ToJson(membership), id))
            .WithSummary("One node: address, state, slots and its last report");
        app.MapGet("/v1/rebalance", () => Results.Text(membership.Status().ToJson(), "application/json"))
            .WithSummary("The running (or last) rebalance: slots, keys and bytes moved, rate, ETA");
        // Decommission answers at once (202): the move runs in the background; follow it on /v1/rebalance.
        app.MapPost("/v1/nodes/{id}/decommission", (string id) => membership.Decommission(id) switch
        {
            DecommissionResult.Accepted => Results.Json(new { node = id, result = "leaving" }, statusCode: StatusCodes.Status202Accepted),
            DecommissionResult.AlreadyLeaving => Results.Json(new { node = id, result = "already leaving" }, statusCode: StatusCodes.Status202Accepted),
            DecommissionResult.LastNode => ApiErrors.Result(StatusCodes.Status409Conflict, "LASTNODE",
                "refusing to decommission the last node: its data would have nowhere to go"),
            _ => ApiErrors.Result(StatusCodes.Status404NotFound, "NOTFOUND", $"no such node: {id}"),
        }).WithSummary("Move a node's data away and take it out of the ring (202; progress on /v1/rebalance)");
    }
}
