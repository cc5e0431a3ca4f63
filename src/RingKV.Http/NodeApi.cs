using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RingKV.Node;

namespace RingKV.Http;

/// <summary>A node's HTTP routes.</summary>
public static class NodeApi
{
    public static void Map(WebApplication app, NodeServer node)
    {
        app.MapGet("/health", () => Results.Text("ok\n"));
    }
}
