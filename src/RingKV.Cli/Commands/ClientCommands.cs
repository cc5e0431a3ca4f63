using System.CommandLine;
using RingKV.Cli.Shell;
using RingKV.Client;
using RingKV.Cluster;
using Spectre.Console;

namespace RingKV.Cli.Commands;

/// <summary>
/// Client verbs built on <see cref="RingKvClient"/>: <c>put</c>, <c>get</c>, <c>del</c>, <c>list-nodes</c>,
/// <c>nodes-for-key</c>, the original description's <c>client --command "PUT k v"</c>, and the interactive <c>shell</c>.
/// </summary>
public static class ClientCommands
{
    public static readonly Option<string> Seed = new("--coordinator", "-c")
    {
        Description = "Coordinator (or any node) host:port",
        DefaultValueFactory = _ => "127.0.0.1:5000",
    };

    public static readonly Option<string?> Level = new("--consistency")
    {
        Description = "ONE, QUORUM or ALL for this client's requests",
    };

    public static IEnumerable<Command> All()
    {
        var key = new Argument<string>("key");
        var value = new Argument<string>("value");
        var ttl = new Option<int?>("--ttl") { Description = "Expire after this many seconds" };

        var put = new Command("put", "Store a value") { key, value, ttl };
        put.SetAction((r, _) => RunAsync(r, async (client, shell) => await shell.ExecuteAsync(
            r.GetValue(ttl) is { } seconds ? ["SET", r.GetValue(key)!, r.GetValue(value)!, "EX", seconds.ToString()] : ["SET", r.GetValue(key)!, r.GetValue(value)!])));
        yield return WithClientOptions(put);

        var get = new Command("get", "Read a value") { key };
        get.SetAction((r, _) => RunAsync(r, (client, shell) => shell.ExecuteAsync(["GET", r.GetValue(key)!])));
        yield return WithClientOptions(get);

        var del = new Command("del", "Delete a key") { key };
        del.SetAction((r, _) => RunAsync(r, (client, shell) => shell.ExecuteAsync(["DEL", r.GetValue(key)!])));
        yield return WithClientOptions(del);

        var list = new Command("list-nodes", "Show the cluster's nodes, their state and slot ownership");
        list.SetAction((r, _) => RunAsync(r, (client, shell) => shell.ExecuteAsync(["LIST_NODES"])));
        yield return WithClientOptions(list);

        var where = new Command("nodes-for-key", "Show which nodes hold a key (primary first)") { key };
        where.SetAction((r, _) => RunAsync(r, (client, shell) => shell.ExecuteAsync(["GET_NODES_FOR_KEY", r.GetValue(key)!])));
        yield return WithClientOptions(where);

        var commandText = new Option<string>("--command") { Description = "One command, e.g. \"PUT user:1 Alice\"", Required = true };
        var client = new Command("client", "Run one command (the original description's form)") { commandText };
        client.SetAction((r, _) => RunAsync(r, (c, shell) => shell.ExecuteLineAsync(r.GetValue(commandText)!)));
        yield return WithClientOptions(client);

        var shellCommand = new Command("shell", "Interactive shell with history (HELP for commands)");
        shellCommand.SetAction((r, _) => RunAsync(r, (c, shell) => shell.RunInteractiveAsync()));
        yield return WithClientOptions(shellCommand);
    }

    private static Command WithClientOptions(Command command)
    {
        command.Add(Seed);
        command.Add(Level);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, Func<RingKvClient, InteractiveShell, Task<bool>> action)
    {
        var seed = result.GetValue(Seed)!;
        RingKvClient client;
        try
        {
            var options = new RingKvClientOptions
            {
                Consistency = result.GetValue(Level) is { } text && ConsistencyExtensions.TryParse(text, out var level) ? level : null,
            };
            client = await RingKvClient.ConnectAsync(seed, options);
        }
        catch (RingKvException ex)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] cannot reach the cluster at {Markup.Escape(seed)}: {Markup.Escape(ex.Message)}");
            AnsiConsole.MarkupLine("[grey]Is it running? Start one with: ringkv cluster up[/]");
            return 2;
        }
        await using (client)
        {
            return await action(client, new InteractiveShell(client, seed)) ? 0 : 1;
        }
    }
}
