using Microsoft.Extensions.Logging;
using RingKV.Net;

namespace RingKV.Cluster.Coordinator;

/// <summary>The coordinator process: the RESP listener plus the failure-detector loop.</summary>
public sealed class CoordinatorServer : IAsyncDisposable
{
    private readonly RespServer _server;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _detector;

    public CoordinatorServer(CoordinatorOptions options, ILoggerFactory loggers)
    {
        Options = options;
        Membership = new Membership(options, new MapFile(options.DataDirectory), loggers.CreateLogger("coordinator"));
        _server = new RespServer(EndpointParser.ToIPEndPoint(options.Bind, options.Port),
            remote => new CoordinatorSession(remote, Membership, options), options.Limits, loggers.CreateLogger("resp"));
        _server.Start();
        _detector = DetectFailuresAsync();
    }

    public CoordinatorOptions Options { get; }

    public Membership Membership { get; }

    public System.Net.IPEndPoint LocalEndPoint => _server.LocalEndPoint;

    private async Task DetectFailuresAsync()
    {
        // Check several times per timeout so DOWN is declared within ~timeout + timeout/10.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(Options.FailureTimeout.TotalMilliseconds / 10, 50, 1000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                Membership.DetectFailures();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _detector;
        await _server.DisposeAsync();
        _stopping.Dispose();
    }
}
