using System.CommandLine;
using RingKV.Cli.Admin;
using RingKV.Cli.Hosting;
using RingKV.Cli.Views;
using RingKV.Net;
using Spectre.Console;

namespace RingKV.Cli.Commands;

/// <summary>What the operator verbs (<c>rebalance</c>, <c>node decommission/remove</c>, <c>repair</c>) share: options, errors, exit codes.</summary>
/// <remarks>
/// Exit codes: 0 done, 1 an error reply or a timeout, 2 the coordinator unreachable (as the client verbs), 130 Ctrl+C.
/// Errors go to stderr (<see cref="ErrorConsole"/>), so that with --json stdout holds only documents.
/// </remarks>
internal static class AdminCommands
{
    public const int Failed = 1;
    public const int Unreachable = 2;
    public const int Interrupted = 130;

    /// <summary>Unlike the client verbs' seed, this must be the coordinator: nodes do not answer REBALANCE or DECOMMISSION.</summary>
    public static readonly Option<string> Coordinator =
        CoordinatorOption.Create("Coordinator host:port, or every coordinator of the group as host:port,host:port,... (the first that can serve answers)");

    public static Option<string> Timeout(string description, string defaultValue) => Durations.Option("--timeout", description, defaultValue);

    /// <summary>Runs <paramref name="action"/> with a connection to the coordinator, turning the usual failures into messages and exit codes.</summary>
    public static async Task<int> RunAsync(ParseResult result, Func<AdminConnection, Task<int>> action, TimeSpan? repairTimeout = null)
    {
        var coordinator = result.GetValue(Coordinator)!;
        await using var admin = repairTimeout is { } timeout ? new AdminConnection(coordinator, timeout) : new AdminConnection(coordinator);
        try
        {
            return await action(admin);
        }
        catch (RespConnectionException ex)
        {
            ErrorConsole.Instance.MarkupLine($"[red]error:[/] cannot reach the coordinator at {Markup.Escape(admin.Coordinators.ToString())}: {Markup.Escape(ex.Message)}");
            ErrorConsole.Instance.MarkupLine("[grey]Is it running? Pass its address with -c host:port.[/]");
            return Unreachable;
        }
        catch (AdminException ex)
        {
            ErrorConsole.Instance.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return Failed;
        }
        catch (OperationCanceledException)
        {
            return Interrupted;
        }
    }

    /// <summary>Reports how a watch that did not reach its condition ended, and the exit code for it.</summary>
    public static int WatchFailed(WatchOutcome outcome, RebalanceWatch watch)
    {
        if (outcome != WatchOutcome.Cancelled)
        {
            ErrorConsole.Instance.MarkupLine($"[red]error:[/] {Markup.Escape(watch.Problem ?? outcome.ToString())}");
        }
        return outcome switch
        {
            WatchOutcome.Unreachable => Unreachable,
            WatchOutcome.Cancelled => Interrupted,
            _ => Failed,
        };
    }
}
