using RingKV.Cli.Hosting;
using RingKV.Cluster.Coordinator;
using Spectre.Console;

namespace RingKV.Cli.Admin;

/// <summary>
/// How a <see cref="RebalanceReport"/> reads on a terminal: a header line, a table of gainers, the last transition's
/// summary, and the one-line forms the watch prints. Byte counts are in MiB (2^20), the unit of <c>--rebalance-rate</c>.
/// </summary>
public static class RebalanceView
{
    private const double MiB = 1 << 20;

    public static string Bytes(long bytes) =>
        bytes < 1024 ? $"{bytes} B" : bytes < 1 << 20 ? $"{bytes / 1024.0:0.0} KiB" : bytes < 1L << 30 ? $"{bytes / MiB:0.0} MiB" : $"{bytes / MiB / 1024:0.00} GiB";

    public static string Rate(double bytesPerSecond) => Bytes((long)bytesPerSecond) + "/s";

    public static string Eta(double? seconds) => seconds is { } s ? Durations.Format(TimeSpan.FromSeconds(s)) : "?";

    /// <summary>State, epoch, transition and ring change, e.g. <c>streaming, epoch 12, transition #3: a, b, c → a, b, c, d</c>.</summary>
    public static string Header(RebalanceReport report)
    {
        var members = string.Join(", ", report.Members);
        return report.TransitionId is { } id
            ? $"{report.State}, epoch {report.Epoch}, transition #{id}: {members} → {string.Join(", ", report.Target ?? [])}"
            : $"{report.State}, epoch {report.Epoch}, members {members}";
    }

    /// <summary>Slots settled (of those changing owner) and copied (of those gainers must copy); empty when idle.</summary>
    public static string Slots(RebalanceReport report) =>
        report.TransitionId is null ? "" : $"slots settled {report.SlotsSettled}/{report.SlotsMoving}, copied {report.SlotsCopied}/{report.SlotsToCopy}";

    /// <summary>Keys, bytes, rate and ETA of the running transition; empty when idle.</summary>
    public static string Traffic(RebalanceReport report) =>
        report.TransitionId is null ? ""
        : $"{report.KeysMoved:N0} keys, {Bytes(report.BytesMoved)} moved, {Rate(report.BytesPerSecond)}, "
          + (report.State == "streaming" ? $"ETA {Eta(report.EtaSeconds)}, " : "") + $"running {Durations.Format(TimeSpan.FromSeconds(report.ElapsedSeconds))}";

    /// <summary>One gainer's counters for a progress description or a plain line.</summary>
    public static string Gainer(RebalanceReport report, RebalanceReport.GainerReport gainer)
    {
        var progress = gainer.FinishedAfterSeconds is { } done ? $"done after {Durations.Format(TimeSpan.FromSeconds(done))}"
            : $"ETA {GainerEta(report, gainer)}";
        return $"{gainer.Keys:N0} keys, {Bytes(gainer.Bytes)}, {Rate(GainerRate(report, gainer))}, {progress}";
    }

    /// <summary>Time left for one gainer at its pace so far; <c>?</c> until it has copied a slot.</summary>
    public static string GainerEta(RebalanceReport report, RebalanceReport.GainerReport gainer) =>
        gainer.SlotsCopied == 0 ? "?" : Eta(report.ElapsedSeconds * (gainer.SlotsToCopy - gainer.SlotsCopied) / gainer.SlotsCopied);

    /// <summary>A gainer's mean rate over its copy (until it finished, or until now).</summary>
    public static double GainerRate(RebalanceReport report, RebalanceReport.GainerReport gainer) =>
        (gainer.FinishedAfterSeconds ?? report.ElapsedSeconds) is var seconds && seconds > 0 ? gainer.Bytes / seconds : 0;

    public static string Last(RebalanceReport.Summary last) =>
        $"last: transition #{last.TransitionId} {(last.Aborted ? "aborted" : "finished")} after {Durations.Format(TimeSpan.FromSeconds(last.DurationSeconds))}: "
        + $"{last.SlotsMoved} slots, {last.KeysMoved:N0} keys, {Bytes(last.BytesMoved)} moved to {(last.Gainers.Length == 0 ? "no node" : string.Join(", ", last.Gainers))}";

    /// <summary>The full report: header, counters, a table of gainers, and the last transition.</summary>
    public static void Print(RebalanceReport report)
    {
        AnsiConsole.MarkupLine($"[bold]rebalance:[/] {Markup.Escape(Header(report))}");
        if (report.TransitionId is not null)
        {
            AnsiConsole.WriteLine(Slots(report));
            AnsiConsole.WriteLine(Traffic(report));
        }
        if (report.Gainers.Length > 0)
        {
            var table = new Table().AddColumns("node", "status", "slots copied", "keys", "MiB", "rate", "finished after");
            foreach (var gainer in report.Gainers)
            {
                table.AddRow(Markup.Escape(gainer.Id), Markup.Escape(gainer.Status), $"{gainer.SlotsCopied}/{gainer.SlotsToCopy}", $"{gainer.Keys:N0}",
                    $"{gainer.Bytes / MiB:0.0}", Rate(GainerRate(report, gainer)), gainer.FinishedAfterSeconds is { } s ? Durations.Format(TimeSpan.FromSeconds(s)) : "-");
            }
            AnsiConsole.Write(table);
        }
        PrintLast(report);
    }

    public static void PrintLast(RebalanceReport report)
    {
        if (report.Last is { } last)
        {
            AnsiConsole.MarkupLine(last.Aborted ? $"[yellow]{Markup.Escape(Last(last))}[/]" : Markup.Escape(Last(last)));
        }
        else if (report.TransitionId is null)
        {
            AnsiConsole.MarkupLine("[grey]no rebalance has finished since the coordinator started[/]");
        }
    }
}
