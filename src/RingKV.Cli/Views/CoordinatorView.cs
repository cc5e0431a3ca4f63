using System.Globalization;
using Spectre.Console;

namespace RingKV.Cli.Views;

/// <summary>
/// How the coordinator group reads on a terminal: the second table of <c>list-nodes</c>, one row per coordinator,
/// or a line saying that no coordinator answered (the node table above it stands on its own).
/// </summary>
public static class CoordinatorView
{
    public static void Print(CoordinatorProbe.Result probe)
    {
        if (probe.Group is not { } group)
        {
            AnsiConsole.MarkupLine($"[red]coordinators unreachable:[/] [grey]{Markup.Escape(probe.Error ?? "none given")}[/]");
            return;
        }
        var title = group.IsStandalone ? "coordinator: standalone (a group of one, no Raft)" : $"coordinator group (raft), as {group.Self} sees it";
        var table = new Table().Title(Markup.Escape(title))
            .AddColumn(new TableColumn("coordinator").NoWrap()).AddColumn(new TableColumn("raft").NoWrap()).AddColumns("role", "reachable", "term");
        foreach (var member in group.Members)
        {
            table.AddRow(Markup.Escape(member.Endpoint), Markup.Escape(member.Raft ?? "-"),
                member.Leader ? "[green]leader[/]" : "follower", member.Reachable switch { true => "[green]yes[/]", false => "[red]no[/]", null => "[grey]unknown[/]" },
                group.IsStandalone ? "-" : group.Term.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        if (group.Leader is null)
        {
            AnsiConsole.MarkupLine("[yellow]no leader: the map cannot change until a majority of the coordinators reach each other[/]");
        }
    }

    /// <summary>The status header's part: <c>coordinators leader 127.0.0.1:5000, term 3, 3/3 reachable</c>.</summary>
    public static string HeaderPart(CoordinatorGroupSummary? group) =>
        group is null ? "coordinators unreachable" : $"coordinators {group.Headline()}";
}
