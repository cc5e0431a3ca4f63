using Spectre.Console;

namespace RingKV.Cli.Views;

/// <summary>
/// Where the client and operator verbs print their errors: stderr, so that stdout holds only the result (with
/// <c>--json</c>, the one document a script parses). Colours only when stderr is a terminal.
/// </summary>
public static class ErrorConsole
{
    public static IAnsiConsole Instance { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
}
