using Microsoft.Extensions.Logging;
using RingKV.Net;

namespace RingKV.Cluster.Coordinator;

/// <summary>The coordinator process: the RESP listener plus the membership loop (failure detection, removal, transitions).</summary>
public sealed class CoordinatorServer : IAsyncDisposable
{
    private readonly RespServer _server;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _detector;

    public CoordinatorServer(CoordinatorOptions options, ILoggerFactory loggers)
    {
        Options = options;
        Membership = new Membership(options, new MapFile(options.DataDirectory), loggers.CreateLogger("coordinator"));
        Metrics = new CoordinatorMetrics(Membership);
        _server = new RespServer(EndpointParser.ToIPEndPoint(options.Bind, options.Port),
            remote => new CoordinatorSession(remote, Membership, options), options.Limits, loggers.CreateLogger("resp"))
        {
            Security = options.Security,
        };
        _server.Start();
        _detector = TickAsync();
    }

    public CoordinatorOptions Options { get; }

    public Membership Membership { get; }

    public CoordinatorMetrics Metrics { get; }

    public System.Net.IPEndPoint LocalEndPoint => _server.LocalEndPoint;

    private async Task TickAsync()
    {
        // Check several times per timeout so DOWN is declared within ~timeout + timeout/10; transitions advance on
        // the same tick (and at once on reports), so their barriers cost at most one period more.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(Options.FailureTimeout.TotalMilliseconds / 10, 50, 250));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                Membership.Tick();
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
