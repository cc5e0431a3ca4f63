using System.Text;
using RingKV.Cli.Views;
using RingKV.Client;
using RingKV.Protocol;
using Spectre.Console;

namespace RingKV.Cli.Shell;

/// <summary>
/// Executes client commands for the verbs and the interactive shell: key commands are routed by the client
/// library (primary first, failover to replicas); cluster views go to the seed (the coordinator).
/// Replies are printed the way redis-cli prints them; node lists as tables (<see cref="RingView"/>).
/// </summary>
public sealed class InteractiveShell(RingKvClient client, string seed)
{
    private static readonly HashSet<string> s_clusterCommands = new(StringComparer.OrdinalIgnoreCase) { "LIST_NODES", "GET_NODES_FOR_KEY", "CLUSTER_MAP", "INFO", "PING" };

    /// <summary>Runs one command line (<c>PUT user:1 Alice</c>); returns false when it failed.</summary>
    public Task<bool> ExecuteLineAsync(string line)
    {
        var words = SplitWords(line);
        return words.Count == 0 ? Task.FromResult(true) : ExecuteAsync(words);
    }

    public async Task<bool> ExecuteAsync(IReadOnlyList<string> words)
    {
        var name = words[0].ToUpperInvariant();
        try
        {
            if (name == "LIST_NODES")
            {
                await client.RefreshMapAsync();
                RingView.PrintNodes(client.Map);
                return true;
            }
            var reply = s_clusterCommands.Contains(name) || words.Count < 2
                ? await client.ExecuteOnAsync(seed, [.. words])
                : await client.ExecuteAsync(words[1], [.. words]);
            Print(reply, "");
            return !reply.IsError;
        }
        catch (RingKvException ex)
        {
            AnsiConsole.MarkupLine($"[red](error)[/] {Markup.Escape(ex.Message)}");
            return false;
        }
    }

    public async Task<bool> RunInteractiveAsync()
    {
        var history = new LineHistory(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ringkv_history"));
        AnsiConsole.MarkupLine($"[bold]RingKV shell[/] connected to {Markup.Escape(seed)} (epoch {client.Map.Epoch}, {client.Map.Nodes.Length} nodes). Type [bold]HELP[/], [bold]HISTORY[/] or [bold]QUIT[/].");
        var editor = new LineEditor(history, new CommandCompletion(ShellCommands.Names));
        while (true)
        {
            var line = editor.ReadLine($"ringkv {seed}> ");
            if (line is null)
            {
                return true;
            }
            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            history.Add(line);
            switch (line.ToUpperInvariant())
            {
                case "QUIT" or "EXIT":
                    return true;
                case "HELP":
                    Console.Write(ShellCommands.Help);
                    continue;
                case "HISTORY":
                    var n = 1;
                    foreach (var entry in history.Entries)
                    {
                        Console.WriteLine($"{n++,4}  {entry}");
                    }
                    continue;
            }
            await ExecuteLineAsync(line);
        }
    }

    private static void Print(RespValue value, string indent)
    {
        switch (value.Type)
        {
            case RespType.Null:
                Console.WriteLine(indent + "(nil)");
                break;
            case RespType.Integer:
                Console.WriteLine($"{indent}(integer) {value.Integer}");
                break;
            case RespType.Error or RespType.BulkError:
                AnsiConsole.MarkupLine($"{indent}[red](error)[/] {Markup.Escape(value.AsString() ?? "")}");
                break;
            case RespType.Array or RespType.Set or RespType.Map or RespType.Push:
                if (value.Items.Count == 0)
                {
                    Console.WriteLine(indent + "(empty array)");
                }
                for (var i = 0; i < value.Items.Count; i++)
                {
                    Console.Write($"{indent}{i + 1}) ");
                    Print(value.Items[i], "");
                }
                break;
            case RespType.SimpleString:
                Console.WriteLine(indent + value.AsString());
                break;
            default:
                Console.WriteLine($"{indent}\"{value.AsString()}\"");
                break;
        }
    }

    /// <summary>Splits on spaces, honouring "double" and 'single' quotes.</summary>
    public static List<string> SplitWords(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in line)
        {
            if (quote is not null)
            {
                if (c == quote) { quote = null; } else { current.Append(c); }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.Add(current.ToString());
        }
        return words;
    }
}
