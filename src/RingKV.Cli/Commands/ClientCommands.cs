using System.CommandLine;
using RingKV.Cli.Hosting;
using RingKV.Cli.Shell;
using RingKV.Cli.Views;
using RingKV.Client;
using RingKV.Cluster;
using Spectre.Console;

namespace RingKV.Cli.Commands;

/// <summary>
/// Client verbs built on <see cref="RingKvClient"/>: <c>put</c>, <c>get</c>, <c>del</c>, <c>list-nodes</c>,
/// <c>nodes-for-key</c>, the original description's <c>client --command "PUT k v"</c>, the interactive <c>shell</c>,
/// and the views of <see cref="ClusterViewCommands"/>. The read-only verbs take <see cref="Json"/>.
/// </summary>
/// <remarks>Exit codes: 0 done, 1 an error reply (or no replica reachable), 2 the seed unreachable.</remarks>
public static class ClientCommands
{
    public static readonly Option<string> Seed = new("--coordinator", "-c")
    {
        Description = "Coordinator (or any node) host:port, or several as host:port,host:port,... (the first that answers gives the map)",
        DefaultValueFactory = _ => "127.0.0.1:5000",
    };

    public static readonly Option<string?> Level = new("--consistency")
    {
        Description = "ONE, QUORUM or ALL for this client's requests",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print one JSON document (camelCase) on stdout instead of text, for scripts",
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

        var get = new Command("get", "Read a value (--json: {key, value}, value null when absent)") { key, Json };
        get.SetAction((r, _) => r.GetValue(Json)
            ? RunAsync(r, async client =>
            {
                var name = r.GetValue(key)!;
                JsonOutput.Write(new { key = name, value = await client.GetAsync(name) });
                return 0;
            })
            : RunAsync(r, (client, shell) => shell.ExecuteAsync(["GET", r.GetValue(key)!])));
        yield return WithClientOptions(get);

        var del = new Command("del", "Delete a key") { key };
        del.SetAction((r, _) => RunAsync(r, (client, shell) => shell.ExecuteAsync(["DEL", r.GetValue(key)!])));
        yield return WithClientOptions(del);

        var list = new Command("list-nodes", "Show the cluster's nodes: address, UP/DOWN, place in the ring, primary and replica slots, share") { Json };
        list.SetAction((r, _) => r.GetValue(Json)
            ? RunAsync(r, client => Task.FromResult(WriteJson(RingSummary.Of(client.Map))))
            : RunAsync(r, (client, shell) => shell.ExecuteAsync(["LIST_NODES"])));
        yield return WithClientOptions(list);

        var where = new Command("nodes-for-key", "Show which nodes hold a key (primary first)") { key, Json };
        where.SetAction((r, _) => r.GetValue(Json)
            ? RunAsync(r, client => Task.FromResult(WriteJson(KeyNodes.Of(client.Map, r.GetValue(key)!))))
            : RunAsync(r, (client, shell) => shell.ExecuteAsync(["GET_NODES_FOR_KEY", r.GetValue(key)!])));
        yield return WithClientOptions(where);

        var commandText = new Option<string>("--command") { Description = "One command, e.g. \"PUT user:1 Alice\"", Required = true };
        var client = new Command("client", "Run one command (the original description's form)") { commandText };
        client.SetAction((r, _) => RunAsync(r, (c, shell) => shell.ExecuteLineAsync(r.GetValue(commandText)!)));
        yield return WithClientOptions(client);

        var shellCommand = new Command("shell", "Interactive shell with history and Tab completion (HELP for commands)");
        shellCommand.SetAction((r, _) => RunAsync(r, (c, shell) => shell.RunInteractiveAsync()));
        yield return WithClientOptions(shellCommand);

        foreach (var view in ClusterViewCommands.All())
        {
            view.Add(Seed);
            yield return view;
        }
    }

    /// <summary>
    /// Connects to the cluster through the <see cref="Seed"/> option and runs <paramref name="action"/>, turning an
    /// unreachable seed (exit 2) and a failed request (exit 1) into a message on stderr.
    /// </summary>
    internal static async Task<int> RunAsync(ParseResult result, Func<RingKvClient, Task<int>> action)
    {
        var seed = result.GetValue(Seed)!;
        RingKvClient client;
        try
        {
            var options = new RingKvClientOptions
            {
                Consistency = result.GetValue(Level) is { } text && ConsistencyExtensions.TryParse(text, out var level) ? level : null,
                Password = result.GetValue(ClientCredentials.Password),
                Tls = ClientCredentials.TlsFrom(result),
            };
            // Every coordinator of a group (or any nodes) may be listed: the map comes from the first that answers.
            client = await RingKvClient.ConnectAsync(seed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), options);
        }
        catch (RingKvException ex)
        {
            ErrorConsole.Instance.MarkupLine($"[red]error:[/] cannot reach the cluster at {Markup.Escape(seed)}: {Markup.Escape(ex.Message)}");
            ErrorConsole.Instance.MarkupLine("[grey]Is it running? Start one with: ringkv cluster up[/]");
            return 2;
        }
        await using (client)
        {
            try
            {
                return await action(client);
            }
            catch (RingKvException ex)
            {
                ErrorConsole.Instance.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
                return 1;
            }
        }
    }

    private static Task<int> RunAsync(ParseResult result, Func<RingKvClient, InteractiveShell, Task<bool>> action) =>
        RunAsync(result, async client => await action(client, new InteractiveShell(client, result.GetValue(Seed)!)) ? 0 : 1);

    private static int WriteJson<T>(T document)
    {
        JsonOutput.Write(document);
        return 0;
    }

    private static Command WithClientOptions(Command command)
    {
        command.Add(Seed);
        command.Add(Level);
        command.Add(ClientCredentials.Password);
        command.Add(ClientCredentials.Tls);
        command.Add(ClientCredentials.CaCertificate);
        return command;
    }
}
