using System.Diagnostics;
using RingKV.Cli.Hosting;
using RingKV.Cluster.Coordinator;
using RingKV.Net;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RingKV.Cli.Admin;

/// <summary>How a watch ended.</summary>
public enum WatchOutcome
{
    /// <summary>The condition the caller waited for holds.</summary>
    Done,

    TimedOut,

    /// <summary>The coordinator stayed unreachable for longer than <see cref="RebalanceWatch.UnreachableLimit"/>.</summary>
    Unreachable,

    /// <summary>The coordinator answered with an error (or something that is not a report).</summary>
    Failed,

    /// <summary>Ctrl+C.</summary>
    Cancelled,
}

/// <summary>
/// Polls <c>REBALANCE STATUS</c> until a condition holds, showing progress: a live Spectre progress display (a bar
/// for the whole transition and one per gainer) on a terminal, one plain line per change when the output is
/// redirected (a live display would write nothing useful to a file and never ends a line), or one JSON document per
/// change for scripts. Used by <c>rebalance status --watch</c> and <c>node decommission/remove --wait</c>.
/// </summary>
public sealed class RebalanceWatch(AdminConnection admin)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Give up after this long even if the condition never holds (a stuck transition must not hang a script).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Keep polling an unreachable coordinator this long before giving up: a coordinator restart takes seconds and
    /// the transition resumes after it, so a brief outage must not end the watch.
    /// </summary>
    public TimeSpan UnreachableLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Print each changed report as one line of raw JSON instead of a display.</summary>
    public bool Json { get; init; }

    /// <summary>The newest report seen.</summary>
    public RebalanceReport? Latest { get; private set; }

    /// <summary>Why the watch ended when it was not <see cref="WatchOutcome.Done"/>.</summary>
    public string? Problem { get; private set; }

    /// <summary>Polls until <paramref name="done"/> (asked after every report) returns true.</summary>
    public async Task<WatchOutcome> RunAsync(Func<RebalanceReport, CancellationToken, Task<bool>> done, CancellationToken cancellationToken)
    {
        if (Json)
        {
            return await PollAsync(done, new JsonLines(), cancellationToken);
        }
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await PollAsync(done, new PlainLines(), cancellationToken);
        }
        var outcome = WatchOutcome.Cancelled;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new SlotsColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var live = new LiveBars(context);
                outcome = await PollAsync(done, live, cancellationToken);
                if (outcome == WatchOutcome.Done)
                {
                    live.Complete();
                }
            });
        return outcome;
    }

    private async Task<WatchOutcome> PollAsync(Func<RebalanceReport, CancellationToken, Task<bool>> done, IView view, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? failingSince = null;
        try
        {
            while (true)
            {
                try
                {
                    var (json, report) = await admin.RebalanceStatusAsync(cancellationToken);
                    Latest = report;
                    failingSince = null;
                    view.Show(clock.Elapsed, json, report);
                    if (await done(report, cancellationToken))
                    {
                        return WatchOutcome.Done;
                    }
                }
                catch (RespConnectionException ex)
                {
                    failingSince ??= clock.Elapsed;
                    Problem = $"coordinator {admin.Coordinators} unreachable: {ex.Message}";
                    if (clock.Elapsed - failingSince > UnreachableLimit)
                    {
                        return WatchOutcome.Unreachable;
                    }
                    view.Warn(clock.Elapsed, Problem + " (retrying)");
                }
                catch (AdminException ex)
                {
                    Problem = ex.Message;
                    return WatchOutcome.Failed;
                }
                if (clock.Elapsed >= Timeout)
                {
                    Problem = $"gave up after {Durations.Format(Timeout)} (--timeout)";
                    return WatchOutcome.TimedOut;
                }
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Problem = "interrupted";
            return WatchOutcome.Cancelled;
        }
    }

    /// <summary>What moved since the last report; the elapsed time, rate and ETA change on every poll and do not count.</summary>
    private static string ProgressKey(RebalanceReport r) =>
        $"{r.Epoch}|{r.State}|{r.TransitionId}|{r.SlotsSettled}|{r.SlotsCopied}|{r.KeysMoved}|{r.BytesMoved}|"
        + string.Join(",", r.Gainers.Select(g => $"{g.Id}:{g.Status}:{g.SlotsCopied}"));

    private interface IView
    {
        void Show(TimeSpan elapsed, string json, RebalanceReport report);

        void Warn(TimeSpan elapsed, string message);
    }

    private sealed class JsonLines : IView
    {
        private string? _last;
        private string? _lastWarning;

        public void Show(TimeSpan elapsed, string json, RebalanceReport report)
        {
            _lastWarning = null;
            var key = ProgressKey(report);
            if (key != _last)
            {
                _last = key;
                Console.WriteLine(json);
            }
        }

        public void Warn(TimeSpan elapsed, string message)
        {
            if (message != _lastWarning)
            {
                _lastWarning = message;
                Console.Error.WriteLine(message);
            }
        }
    }

    private sealed class PlainLines : IView
    {
        private string? _last;
        private string? _lastWarning;

        public void Show(TimeSpan elapsed, string json, RebalanceReport report)
        {
            var key = ProgressKey(report);
            if (key == _last)
            {
                return;
            }
            _last = key;
            _lastWarning = null;
            var line = $"[{elapsed.TotalSeconds,6:0.0}s] {RebalanceView.Header(report)}";
            if (report.TransitionId is not null)
            {
                line += $"; {RebalanceView.Slots(report)}; {RebalanceView.Traffic(report)}";
            }
            Console.WriteLine(line);
            foreach (var gainer in report.Gainers)
            {
                Console.WriteLine($"          {gainer.Id} ({gainer.Status}): slots {gainer.SlotsCopied}/{gainer.SlotsToCopy}, {RebalanceView.Gainer(report, gainer)}");
            }
        }

        public void Warn(TimeSpan elapsed, string message)
        {
            if (message != _lastWarning)
            {
                _lastWarning = message;
                _last = null;
                Console.WriteLine($"[{elapsed.TotalSeconds,6:0.0}s] {message}");
            }
        }
    }

    /// <summary>A bar for the transition as a whole, then one per gainer; a new transition adds a new set of bars.</summary>
    private sealed class LiveBars(ProgressContext context) : IView
    {
        private readonly ProgressTask _total = context.AddTask("waiting for the coordinator", maxValue: 1);
        private readonly Dictionary<string, ProgressTask> _gainers = new(StringComparer.Ordinal);
        private readonly HashSet<long> _seen = [];
        private long? _transition;

        public void Show(TimeSpan elapsed, string json, RebalanceReport report)
        {
            if (report.TransitionId != _transition)
            {
                // The bars of an ended transition stay on screen: full if it finished (the last poll may have seen it
                // at 95 %), at their last values if it was aborted.
                var finished = report.Last is { Aborted: false } last && last.TransitionId == _transition;
                foreach (var task in _gainers.Values)
                {
                    if (finished)
                    {
                        task.Value = task.MaxValue;
                    }
                    task.StopTask();
                }
                _gainers.Clear();
                _transition = report.TransitionId;
            }
            if (report.TransitionId is { } id)
            {
                _seen.Add(id);
                _total.Description = $"[bold]#{id} {Markup.Escape(report.State)}[/] " + Markup.Escape($"{report.KeysMoved:N0} keys {RebalanceView.Bytes(report.BytesMoved)} "
                    + $"{RebalanceView.Rate(report.BytesPerSecond)} ETA {RebalanceView.Eta(report.EtaSeconds)}");
                _total.MaxValue = Math.Max(1, report.SlotsToCopy);
                _total.Value = report.SlotsToCopy == 0 ? 1 : report.SlotsCopied;
            }
            else if (report.Last is { } last && _seen.Contains(last.TransitionId))
            {
                _total.Description = (last.Aborted ? $"[yellow]#{last.TransitionId} aborted[/] " : $"[green]#{last.TransitionId} finished[/] ")
                    + Markup.Escape($"{last.KeysMoved:N0} keys {RebalanceView.Bytes(last.BytesMoved)} in {Durations.Format(TimeSpan.FromSeconds(last.DurationSeconds))}");
                _total.Value = last.Aborted ? _total.Value : _total.MaxValue;
            }
            else
            {
                _total.Description = Markup.Escape($"idle, epoch {report.Epoch}: waiting for a transition");
                _total.Value = 0;
            }
            foreach (var gainer in report.Gainers)
            {
                if (!_gainers.TryGetValue(gainer.Id, out var task))
                {
                    _gainers[gainer.Id] = task = context.AddTask(Markup.Escape(gainer.Id), maxValue: 1);
                }
                task.Description = Markup.Escape($"  {gainer.Id} {gainer.Status} {gainer.Keys:N0} keys {RebalanceView.Bytes(gainer.Bytes)} "
                    + (gainer.FinishedAfterSeconds is { } done ? $"done in {Durations.Format(TimeSpan.FromSeconds(done))}"
                        : $"{RebalanceView.Rate(RebalanceView.GainerRate(report, gainer))} ETA {RebalanceView.GainerEta(report, gainer)}"));
                task.MaxValue = Math.Max(1, gainer.SlotsToCopy);
                task.Value = gainer.SlotsToCopy == 0 || gainer.FinishedAfterSeconds is not null ? task.MaxValue : gainer.SlotsCopied;
            }
        }

        public void Warn(TimeSpan elapsed, string message) => _total.Description = $"[yellow]{Markup.Escape(message)}[/]";

        /// <summary>The condition holds: fill every bar so the display ends on 100 %, and stop the spinners.</summary>
        public void Complete()
        {
            foreach (var task in _gainers.Values.Append(_total))
            {
                task.Value = task.MaxValue;
                task.StopTask();
            }
        }
    }

    /// <summary>Copied of total slots, e.g. <c>2048/12349</c> (the bar's value of its maximum).</summary>
    private sealed class SlotsColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.Value:0}/{task.MaxValue:0}", new Style(Color.Grey));
    }
}
