using System.CommandLine;
using System.Diagnostics;
using RingKV.Cli.Admin;
using RingKV.Cli.Local;
using RingKV.Cli.Views;
using RingKV.Client;
using RingKV.Cluster.Map;
using RingKV.Placement;
using Spectre.Console;

namespace RingKV.Cli.Commands;

/// <summary>
/// <c>ringkv demo</c>: the live demonstration. Starts a local cluster, writes keys, shows where they live, kills a
/// node, reads everything through failover, adds a node, and prints a PASS/FAIL summary. Every verdict is computed
/// from what the cluster returned; the exit code is non-zero when any check failed.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var keys = new Option<int>("--keys") { Description = "Keys to write", DefaultValueFactory = _ => 200 };
        var command = new Command("demo", "Start a local cluster and show replication, failover and a node joining, with checks") { keys };
        command.SetAction(async (result, _) => await RunAsync(result.GetValue(keys)));
        return command;
    }

    /// <summary>SETs the nodes' Prometheus endpoints have counted, summed: each write runs once, on its primary.</summary>
    private static async Task<double> CountedSetsAsync(LocalCluster cluster)
    {
        const string Sample = "ringkv_commands_total{command=\"set\",result=\"ok\"} ";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var total = 0.0;
        foreach (var node in cluster.Nodes.Where(n => n.HttpPort is not null))
        {
            var text = await http.GetStringAsync($"http://127.0.0.1:{node.HttpPort}/metrics");
            total += text.Split('\n').Where(line => line.StartsWith(Sample, StringComparison.Ordinal))
                .Sum(line => double.Parse(line[Sample.Length..], System.Globalization.CultureInfo.InvariantCulture));
        }
        return total;
    }

    private static async Task<int> RunAsync(int keyCount)
    {
        var checks = new List<(string Check, bool Passed, string Detail)>();
        void Check(string name, bool passed, string detail)
        {
            checks.Add((name, passed, detail));
            AnsiConsole.MarkupLine($"  {(passed ? "[green]✓[/]" : "[red]✗[/]")} {Markup.Escape(name)}: {Markup.Escape(detail)}");
        }

        // A short failure timeout keeps the demo brisk; the default for real clusters is 10 s.
        var failureTimeout = TimeSpan.FromSeconds(3);
        AnsiConsole.Write(new Rule("[bold]RingKV demo[/]").LeftJustified());
        LocalCluster? started = null;
        await AnsiConsole.Status().StartAsync("starting a coordinator and 3 nodes…", async _ =>
            started = await LocalCluster.StartAsync(new LocalClusterOptions { Nodes = 3, DeleteDataOnDispose = true, FailureTimeout = failureTimeout, HeartbeatInterval = TimeSpan.FromMilliseconds(500) }));
        await using var cluster = started!;
        await using var client = await RingKvClient.ConnectAsync(cluster.CoordinatorEndpoint);
        // Nodes join one transition at a time; wait until all three are ring members and nothing is moving.
        await WaitForAsync(async () => { await client.RefreshMapAsync(); return client.Map.Members.Length == 3 && client.Map.Transition is null; }, TimeSpan.FromSeconds(60));
        RingView.PrintNodes(client.Map);
        if (cluster.Coordinator.HttpPort is { } dashboard)
        {
            AnsiConsole.MarkupLine($"Watch it live: the dashboard is at [bold link]http://127.0.0.1:{dashboard}/[/] while the demo runs.");
        }

        AnsiConsole.Write(new Rule($"1. write {keyCount} keys (each to a primary + 2 replicas, acknowledged after 2 copies)").LeftJustified());
        var expected = new Dictionary<string, string>();
        var failedWrites = await WriteAsync(client, expected, "user:", 1, keyCount);
        Check("writes acknowledged", failedWrites == 0, $"{keyCount - failedWrites} of {keyCount}");

        var sample = new Table().AddColumns("key", "slot", "primary", "replicas");
        foreach (var key in expected.Keys.Take(5))
        {
            var nodes = client.Map.PreferenceListForKey(System.Text.Encoding.UTF8.GetBytes(key));
            sample.AddRow(key, HashSlot.ForKey(System.Text.Encoding.UTF8.GetBytes(key)).ToString(), nodes[0].Id, string.Join(", ", nodes.Skip(1).Select(n => n.Id)));
        }
        AnsiConsole.Write(sample);
        var copies = await CountCopiesAsync(client, expected);
        Check("every key stored on exactly 3 nodes", copies.All(c => c == 3), $"copies per key: min {copies.Min()}, max {copies.Max()}");
        var sets = await CountedSetsAsync(cluster);
        Check("the nodes' /metrics count every write", sets >= keyCount, $"ringkv_commands_total{{command=\"set\",result=\"ok\"}} summed over nodes: {sets}");

        var victimId = client.Map.PreferenceListForKey("user:1"u8)[0].Id;
        AnsiConsole.Write(new Rule($"2. kill -9 {victimId} (primary of user:1)").LeftJustified());
        var clock = Stopwatch.StartNew();
        cluster.Node(victimId).Kill();
        var (correct, wrong) = await ReadAllAsync(client, expected);
        Check("all keys readable through failover right after the kill", wrong == 0, $"{correct} correct, {wrong} missing or wrong");
        failedWrites = await WriteAsync(client, expected, "order:", 1, 50);
        Check("writes keep succeeding with 2 of 3 nodes (W=2)", failedWrites == 0, $"{50 - failedWrites} of 50 acknowledged");

        var down = await WaitForAsync(async () =>
        {
            await client.RefreshMapAsync();
            return client.Map.Find(victimId)?.State == NodeState.Down;
        }, failureTimeout * 3);
        Check("coordinator marks the node DOWN", down, $"{clock.Elapsed.TotalSeconds:0.0} s after the kill (failure timeout {failureTimeout.TotalSeconds:0} s)");
        RingView.PrintNodes(client.Map);

        AnsiConsole.Write(new Rule("3. add node-4: it copies the slots it gains, then serves them").LeftJustified());
        var before = client.Map;
        var added = await cluster.AddNodeAsync();
        await using var admin = new AdminConnection(cluster.CoordinatorEndpoint);
        var watch = new RebalanceWatch(admin) { Timeout = TimeSpan.FromMinutes(2) };
        var settled = await watch.RunAsync(async (report, _) =>
            report.State == "idle" && report.Members.Contains(added.Name), CancellationToken.None) == WatchOutcome.Done;
        await client.RefreshMapAsync();
        var after = client.Map;
        RingView.PrintNodes(after);
        var last = watch.Latest?.Last;
        Check("the join finishes: node-4 is a ring member", settled && after.Members.Contains(added.Name),
            last is null ? "no transition summary" : $"{last.KeysMoved} keys ({last.BytesMoved / 1024.0:0.0} KiB) copied in {last.DurationSeconds:0.0} s");
        var moved = HashRing.MovedPrimaryFraction(before.Ring, after.Ring);
        var movedElsewhere = Enumerable.Range(0, HashSlot.Count).Count(slot => before.Ring.Primary(slot) != after.Ring.Primary(slot) && after.Ring.Primary(slot) != added.Name);
        Check("a joining node takes about 1/4 of the primaries, from the others only", moved is > 0.15 and < 0.35 && movedElsewhere == 0,
            $"{moved:P1} of slots changed primary (ideal 25.0%); {movedElsewhere} moved between old nodes");
        // Counted before any read: the copies got there by streaming, not by read repair.
        var owed = expected.Keys.Count(k => after.PreferenceListForKey(System.Text.Encoding.UTF8.GetBytes(k)).Any(n => n.Id == added.Name));
        var held = (await client.ExecuteOnAsync($"127.0.0.1:{added.Port}", "RKV.LOCALCOUNT")).Integer;
        Check($"{added.Name} was streamed exactly the keys it now replicates", held == owed, $"{held} of the {owed} keys ({(double)owed / expected.Count:P0} of all keys)");
        (correct, wrong) = await ReadAllAsync(client, expected);
        Check("all keys still readable after the join", wrong == 0, $"{correct} correct, {wrong} missing or wrong");
        var misplaced = 0;
        await WaitForAsync(async () => (misplaced = await MisplacedCopiesAsync(client, expected)) == 0, TimeSpan.FromSeconds(10));
        Check("old holders dropped the copies they handed over", misplaced == 0, $"{misplaced} copies on live nodes outside their key's preference list");

        AnsiConsole.Write(new Rule("summary").LeftJustified());
        var summary = new Table().AddColumns("check", "result", "detail");
        foreach (var (name, passed, detail) in checks)
        {
            summary.AddRow(Markup.Escape(name), passed ? "[green]PASS[/]" : "[red]FAIL[/]", Markup.Escape(detail));
        }
        AnsiConsole.Write(summary);
        var failed = checks.Count(c => !c.Passed);
        AnsiConsole.MarkupLine(failed == 0 ? $"[green bold]PASS[/]: {checks.Count} of {checks.Count} checks passed" : $"[red bold]FAIL[/]: {failed} of {checks.Count} checks failed");
        return failed == 0 ? 0 : 1;
    }

    private static async Task<int> WriteAsync(RingKvClient client, Dictionary<string, string> expected, string prefix, int first, int count)
    {
        var failures = 0;
        for (var i = first; i < first + count; i++)
        {
            var key = prefix + i;
            var value = $"value-{i}-{Guid.NewGuid().ToString("N")[..6]}";
            try
            {
                await client.SetAsync(key, value);
                expected[key] = value;
            }
            catch (RingKvException)
            {
                failures++;
            }
        }
        return failures;
    }

    private static async Task<(int Correct, int Wrong)> ReadAllAsync(RingKvClient client, Dictionary<string, string> expected)
    {
        int correct = 0, wrong = 0;
        foreach (var (key, value) in expected)
        {
            string? got;
            try
            {
                got = await client.GetAsync(key);
            }
            catch (RingKvException ex)
            {
                got = "(error) " + ex.Message;
            }
            if (got == value)
            {
                correct++;
            }
            else if (++wrong <= 5)
            {
                var nodes = string.Join(", ", client.Map.PreferenceListForKey(System.Text.Encoding.UTF8.GetBytes(key)).Select(n => n.Id));
                AnsiConsole.MarkupLine($"    [red]{Markup.Escape(key)}[/] (on {nodes}): expected {Markup.Escape(value)}, got {Markup.Escape(got ?? "(nil)")}");
            }
        }
        return (correct, wrong);
    }

    /// <summary>Asks every node for its local copy of each key (RKV.LOCALGET bypasses routing).</summary>
    private static async Task<int[]> CountCopiesAsync(RingKvClient client, Dictionary<string, string> expected)
    {
        var copies = new List<int>();
        foreach (var (key, value) in expected)
        {
            var count = 0;
            foreach (var node in client.Map.Nodes)
            {
                var reply = await client.ExecuteOnAsync(node.Endpoint, "RKV.LOCALGET", key);
                count += reply.AsString() == value ? 1 : 0;
            }
            copies.Add(count);
        }
        return [.. copies];
    }

    /// <summary>Copies held by a live node that is not in the key's preference list (RKV.LOCALGET).</summary>
    private static async Task<int> MisplacedCopiesAsync(RingKvClient client, Dictionary<string, string> expected)
    {
        var misplaced = 0;
        foreach (var key in expected.Keys)
        {
            var owners = client.Map.PreferenceListForKey(System.Text.Encoding.UTF8.GetBytes(key)).Select(n => n.Id).ToHashSet();
            foreach (var node in client.Map.Nodes.Where(n => n.IsUp && !owners.Contains(n.Id)))
            {
                misplaced += (await client.ExecuteOnAsync(node.Endpoint, "RKV.LOCALGET", key)).IsNull ? 0 : 1;
            }
        }
        return misplaced;
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (RingKvException)
            {
            }
            await Task.Delay(100);
        }
        return false;
    }
}
