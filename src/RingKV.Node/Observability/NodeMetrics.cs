using System.Diagnostics;
using Prometheus;
using RingKV.Net;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Observability;

/// <summary>
/// A node's metrics, exported in Prometheus' text format at <c>/metrics</c>: commands by name and result, their
/// latency, connections, keys, hinted handoff (how far each replica lags), slot copies, plus .NET's GC and process
/// figures. One registry per node, so several nodes in one test process do not mix their numbers.
/// </summary>
/// <remarks>
/// The request path pays for what it must count and nothing else: a command's series are resolved once per command
/// kind and then cost an interlocked increment and a histogram observation. Everything that is a state rather than
/// an event (keys, connections, hints) is read when Prometheus scrapes, not maintained per request. Command labels
/// come from the command table, never from client input: an unknown command counts as <c>unknown</c>, so a client
/// cannot grow the number of series.
/// </remarks>
public sealed class NodeMetrics
{
    private readonly Counter _commands;
    private readonly Histogram _durations;
    private readonly Counter _connectionsReceived;
    private readonly CommandSeries?[] _series = new CommandSeries?[Enum.GetValues<RespCommand>().Max(c => (int)c) + 1];
    private readonly LatencyWindow _window = new();

    public NodeMetrics()
    {
        var factory = Metrics.WithCustomRegistry(Registry);
        _commands = factory.CreateCounter("ringkv_commands_total", "Commands executed by this node, by command and result (ok or error reply).",
            new CounterConfiguration { LabelNames = ["command", "result"] });
        _durations = factory.CreateHistogram("ringkv_command_duration_seconds", "Time from a command's dispatch to its reply, by command.",
            new HistogramConfiguration { LabelNames = ["command"], Buckets = Histogram.ExponentialBuckets(0.00005, 2, 16) });
        _connectionsReceived = factory.CreateCounter("ringkv_connections_received_total", "RESP connections accepted since start, clients and peers.");
        DotNetStats.Register(Registry);
    }

    /// <summary>The registry <c>/metrics</c> exports; the node's gauges are added to it by <see cref="NodeServer"/>.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public IMetricFactory Factory => Metrics.WithCustomRegistry(Registry);

    /// <summary>Commands counted since start, errors included (every command lands in one latency bucket).</summary>
    public long CommandsTotal => _window.Snapshot().Sum();

    /// <summary>Error replies since start, summed over the commands' series when asked rather than counted twice per command.</summary>
    public long ErrorsTotal => (long)_series.Sum(series => series?.Errors.Value ?? 0);

    public LatencyWindow Latency => _window;

    public void ConnectionReceived() => _connectionsReceived.Inc();

    /// <summary>Counts one command that took from <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) until now.</summary>
    public void RecordCommand(RespCommand command, bool error, long startTimestamp)
    {
        var elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        var series = _series[(int)command] ??= new CommandSeries(_commands, _durations, command);
        (error ? series.Errors : series.Ok).Inc();
        series.Duration.Observe((double)elapsed / Stopwatch.Frequency);
        _window.Record(elapsed);
    }

    // A race may build one command's series twice; both resolve to the same prometheus-net children, so either wins.
    private sealed class CommandSeries
    {
        public CommandSeries(Counter commands, Histogram durations, RespCommand command)
        {
            var name = command == RespCommand.Unknown ? "unknown" : CommandNames.Of(command);
            Ok = commands.WithLabels(name, "ok");
            Errors = commands.WithLabels(name, "error");
            Duration = durations.WithLabels(name);
        }

        public Counter.Child Ok { get; }

        public Counter.Child Errors { get; }

        public Histogram.Child Duration { get; }
    }
}
