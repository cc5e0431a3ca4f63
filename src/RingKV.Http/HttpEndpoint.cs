using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RingKV.Net;

namespace RingKV.Http;

/// <summary>
/// A process' HTTP side: Kestrel with minimal APIs on its own port (RESP keeps its hand-written socket loop, see
/// ADR 0002). Same bind rules as RESP; port 0 takes a free port, which <see cref="Port"/> then reports. Every role
/// serves <see cref="CommonRoutes"/> (health, metrics, the dashboard, the OpenAPI document) plus its own routes.
/// </summary>
public sealed class HttpEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpEndpoint(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <param name="maxBodyBytes">Largest request body (a value PUT over HTTP): the RESP limit on a bulk string.</param>
    /// <param name="map">Adds the role's routes.</param>
    /// <param name="security">The process' RESP security: its password guards HTTP too (<see cref="HttpAuthentication"/>).</param>
    public static async Task<HttpEndpoint> StartAsync(string bind, int port, long maxBodyBytes, ServerSecurity security, ILoggerFactory loggers, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // ASP.NET's own logs (startup banners, request lines) stay out of the role's one-line-per-event log;
        // a handler's unexpected exception is logged by JsonErrors below.
        builder.Logging.ClearProviders();
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "RingKV HTTP API";
            document.Info.Description = "Keys, the cluster map, nodes, rebalancing and repair; /metrics and the dashboard are served beside it.";
            return Task.CompletedTask;
        }));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // With a TLS certificate, HTTP is HTTPS only, like the RESP port.
            kestrel.Listen(IPAddress.Parse(bind is "localhost" ? "127.0.0.1" : bind), port, listen =>
            {
                if (security.Tls?.Certificate is { } certificate)
                {
                    listen.UseHttps(certificate);
                }
            });
            kestrel.Limits.MaxRequestBodySize = maxBodyBytes;
        });
        var app = builder.Build();
        var logger = loggers.CreateLogger("http");
        app.Use((context, next) => JsonErrors(context, next, logger));
        app.Use((context, next) => HttpAuthentication.CheckAsync(context, next, security));
        app.MapOpenApi();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpEndpoint(app, new Uri(address).Port);
    }

    // Errors are JSON everywhere, including those Kestrel raises while a handler reads the body (413 for a body
    // over the limit, 400 for a malformed one), so scripts parse one shape.
    private static async Task JsonErrors(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await ApiErrors.Write(context, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "TOOLARGE" : "BADREQUEST", ex.Message);
        }
        catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
        {
            HttpLog.RequestFailed(logger, ex, context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await ApiErrors.Write(context, StatusCodes.Status500InternalServerError, "INTERNAL", ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
