using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Prometheus;

namespace RingKV.Http;

/// <summary>What every role serves alike: liveness, readiness, metrics, the overview and the dashboard.</summary>
public static class CommonRoutes
{
    private static readonly Assembly s_assembly = typeof(CommonRoutes).Assembly;

    /// <param name="readiness">Null when ready to serve, else why not (answered 503).</param>
    /// <param name="overview">The <c>/v1/overview</c> document (the coordinator's <c>OVERVIEW</c>), or null when unavailable.</param>
    public static void Map(WebApplication app, CollectorRegistry metrics, Func<string?> readiness, Func<Task<string?>> overview)
    {
        // Liveness: the process answers. Readiness: it can do its job (a node: registered and routing).
        app.MapGet("/health", () => Results.Text("ok\n")).WithSummary("Liveness: 200 while the process runs");
        app.MapGet("/ready", () => readiness() is { } reason
                ? ApiErrors.Result(StatusCodes.Status503ServiceUnavailable, "NOTREADY", reason)
                : Results.Text("ready\n"))
            .WithSummary("Readiness: 200 when the process can serve, 503 with the reason otherwise");
        app.MapGet("/metrics", (CancellationToken cancellation) => Results.Stream(
                body => metrics.CollectAndExportAsTextAsync(body, cancellation), "text/plain; version=0.0.4; charset=utf-8"))
            .WithSummary("Prometheus text format");
        app.MapGet("/v1/overview", async () => await overview() is { } json
                ? Results.Text(json, "application/json")
                : ApiErrors.Result(StatusCodes.Status503ServiceUnavailable, "CLUSTERDOWN", "the coordinator can not be reached"))
            .WithSummary("The dashboard's document: nodes with state, slots and figures, the ring as arcs, rebalance status");

        // The dashboard: static files compiled into this assembly, so nothing is fetched from elsewhere.
        app.MapGet("/", () => Results.Redirect("/dashboard/")).ExcludeFromDescription();
        // The page loads its script, stylesheet and overview by relative URLs, which resolve against /dashboard/ only
        // with the trailing slash: routing matches /dashboard too, so that one is sent to the canonical address.
        app.MapGet("/dashboard/{file?}", (string? file, HttpRequest request) => file is null && request.Path.Value?.EndsWith('/') != true
                ? Results.Redirect("/dashboard/")
                : Asset(file ?? "index.html"))
            .ExcludeFromDescription();
    }

    /// <summary>One node's entry of an overview document; 404 when the map has no such node.</summary>
    public static IResult NodeFromOverview(string overview, string id) =>
        JsonNode.Parse(overview)?["nodes"]?.AsArray().FirstOrDefault(n => (string?)n?["id"] == id) is { } node
            ? Results.Text(node.ToJsonString(), "application/json")
            : ApiErrors.Result(StatusCodes.Status404NotFound, "NOTFOUND", $"no such node: {id}");

    private static IResult Asset(string file)
    {
        var contentType = Path.GetExtension(file) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => null,
        };
        // Only names of the embedded dashboard files resolve; no path reaches the file system.
        var stream = contentType is null ? null : s_assembly.GetManifestResourceStream("RingKV.Http.Dashboard." + file);
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
