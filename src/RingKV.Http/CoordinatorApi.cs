using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RingKV.Cluster.Coordinator;

namespace RingKV.Http;

/// <summary>
/// The coordinator's HTTP routes: the map, rebalance progress and decommission, the same operations as its RESP
/// commands (CLUSTER_MAP, REBALANCE STATUS, DECOMMISSION) for scripts and dashboards.
/// </summary>
public static class CoordinatorApi
{
    public static void Map(WebApplication app, Membership membership)
    {
        app.MapGet("/health", () => Results.Text("ok\n"));
        app.MapGet("/v1/cluster", () => Results.Text(membership.Map.ToJson(), "application/json"));
        app.MapGet("/v1/rebalance", () => Results.Text(membership.Status().ToJson(), "application/json"));
        // Decommission answers at once (202): the move runs in the background; follow it on /v1/rebalance.
        app.MapPost("/v1/nodes/{id}/decommission", (string id) => membership.Decommission(id) switch
        {
            DecommissionResult.Accepted => Results.Json(new { node = id, result = "leaving" }, statusCode: StatusCodes.Status202Accepted),
            DecommissionResult.AlreadyLeaving => Results.Json(new { node = id, result = "already leaving" }, statusCode: StatusCodes.Status202Accepted),
            DecommissionResult.LastNode => Results.Json(new { error = "refusing to decommission the last node: its data would have nowhere to go" },
                statusCode: StatusCodes.Status409Conflict),
            _ => Results.Json(new { error = $"no such node: {id}" }, statusCode: StatusCodes.Status404NotFound),
        });
    }
}
