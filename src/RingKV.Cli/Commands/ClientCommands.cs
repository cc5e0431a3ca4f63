using System.CommandLine;
using System.Text.Json;
using RingKV.Cli.Hosting;
using RingKV.Cli.Shell;
using RingKV.Cli.Views;
using RingKV.Client;
using RingKV.Cluster;
using RingKV.Cluster.Client;
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
    public static readonly Option<string> Seed = CoordinatorOption.Create("The coordinator(s), or any node: where the cluster map comes from");

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

        var list = new Command("list-nodes",
            "Show the cluster's nodes (address, UP/DOWN, place in the ring, primary and replica slots, share), then the coordinator group (leader, reachable, term)")
        {
            Json,
        };
        list.SetAction((r, _) => RunAsync(r, client => ListNodesAsync(client, Seeds(r), r.GetValue(Json))));
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
            client = await RingKvClient.ConnectAsync(Seeds(result), options);
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

    // The shell sends its cluster commands (INFO, PING, …) to one endpoint: the first of the list.
    private static Task<int> RunAsync(ParseResult result, Func<RingKvClient, InteractiveShell, Task<bool>> action) =>
        RunAsync(result, async client => await action(client, new InteractiveShell(client, Seeds(result)[0])) ? 0 : 1);

    /// <summary>The <see cref="Seed"/> option's endpoints (checked when the command line was parsed).</summary>
    internal static IReadOnlyList<string> Seeds(ParseResult result) => CoordinatorLink.ParseEndpoints(result.GetValue(Seed)!);

    /// <summary>
    /// The node table from the map, then the coordinator group from the seeds. A group that no seed describes is
    /// reported (a line; <c>coordinators: null</c> and a warning on stderr with <c>--json</c>) but fails nothing:
    /// the node table stands on its own.
    /// </summary>
    private static async Task<int> ListNodesAsync(RingKvClient client, IReadOnlyList<string> seeds, bool json)
    {
        var summary = RingSummary.Of(client.Map);
        var probe = await CoordinatorProbe.RunAsync(client, seeds);
        if (!json)
        {
            RingView.PrintNodes(summary);
            CoordinatorView.Print(probe);
            return 0;
        }
        // The nodes' document as `ring --json` has it, with the group beside: scripts reading .nodes see no change.
        var document = JsonSerializer.SerializeToNode(summary, JsonOutput.Options)!.AsObject();
        document["coordinators"] = JsonSerializer.SerializeToNode(probe.Group, JsonOutput.Options);
        JsonOutput.Write(document);
        if (probe.Group is null)
        {
            ErrorConsole.Instance.MarkupLine($"[yellow]warning:[/] coordinators unreachable: {Markup.Escape(probe.Error ?? "none given")}");
        }
        return 0;
    }

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
