using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests;

/// <summary>
/// Each limit of docs/limits.md reached from a raw socket, on a node started with small limits
/// (<see cref="LimitedCluster"/>): the client that passes it gets Redis' error or is disconnected (and logged where
/// Redis logs), the server holds no more memory than the limit allows, and every other client is served throughout.
/// </summary>
public sealed partial class LimitsTests(LimitedCluster limited) : IClassFixture<LimitedCluster>
{
    private const int MiB = 1024 * 1024;

    private ClusterFixture Cluster => limited.Fixture;

    private Cli.Local.ManagedProcess Node => Cluster.Nodes[0];

    private int Port => Node.Port;

    [Fact]
    public Task ConfigGet_EveryLimit_ShowsItsFlagValueOrDefault() => Cluster.VerifyAsync(async () =>
    {
        var config = await ConfigAsync("*");

        Assert.Equal("536870912", config["proto-max-bulk-len"]);
        Assert.Equal("1000", config["proto-max-multibulk-len"]);
        Assert.Equal("1024", config["proto-inline-max-size"]);
        Assert.Equal("2097152", config["client-query-buffer-limit"]);
        Assert.Equal("normal 4194304 0 0", config["client-output-buffer-limit"]);
        Assert.Equal("10000", config["maxclients"]);
        Assert.Equal("0", config["timeout"]);
        Assert.Equal("64", config["max-pattern-len"]);
    });

    [Fact]
    public Task ConfigSet_EveryLimit_TakesRedisUnitsAndReadsBack() => Cluster.VerifyAsync(async () =>
    {
        string[] names = ["proto-max-bulk-len", "proto-max-multibulk-len", "proto-inline-max-size", "client-query-buffer-limit",
            "client-output-buffer-limit", "maxclients", "timeout", "max-pattern-len"];
        var original = await ConfigAsync("*");
        try
        {
            await ConfigSetAsync("proto-max-bulk-len", "2mb", "proto-max-multibulk-len", "2000", "proto-inline-max-size", "2kb",
                "client-query-buffer-limit", "3mb", "client-output-buffer-limit", "normal 5mb 0 0", "maxclients", "9000", "timeout", "300",
                "max-pattern-len", "100");

            var changed = await ConfigAsync("*");
            Assert.Equal(["2097152", "2000", "2048", "3145728", "normal 5242880 0 0", "9000", "300", "100"], names.Select(n => changed[n]));
            var refused = await Cluster.Client.ExecuteOnAsync(Cluster.NodeEndpoint(0), "CONFIG", "SET", "client-query-buffer-limit", "1000");
            Assert.Equal("ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit') - argument must be between 1048576 and 9223372036854775807 inclusive",
                refused.AsString());
        }
        finally
        {
            await ConfigSetAsync([.. names.SelectMany(n => new[] { n, original[n] })]);
        }
    });

    [Fact]
    public Task BulkLength_OverLimitSetByConfigSet_ProtocolErrorAndClose_AtLimitStored() => Cluster.VerifyAsync(async () =>
    {
        await ConfigSetAsync("proto-max-bulk-len", "1mb");
        try
        {
            await using (var socket = await RawSocket.ConnectAsync(Port))
            {
                await socket.SendAsync("*3\r\n$3\r\nSET\r\n$10\r\nlimits:big\r\n$1048577\r\n");
                Assert.Equal("-ERR Protocol error: invalid bulk length", await socket.ReadLineAsync());
                Assert.Equal("", await socket.ReadUntilClosedAsync());
            }
            await AssertServedAsync();
            await using (var socket = await RawSocket.ConnectAsync(Port))
            {
                await socket.SendAsync("*3\r\n$3\r\nSET\r\n$10\r\nlimits:big\r\n$1048576\r\n" + new string('v', MiB) + "\r\n");
                Assert.Equal("+OK", await socket.ReadLineAsync());
            }
        }
        finally
        {
            await ConfigSetAsync("proto-max-bulk-len", "512mb");
        }
    });

    [Fact]
    public Task ArgumentCount_OverFlagLimit_ProtocolErrorAndClose_AtLimitServed() => Cluster.VerifyAsync(async () =>
    {
        await using (var socket = await RawSocket.ConnectAsync(Port))
        {
            await socket.SendAsync($"*{LimitedCluster.MaxArguments + 1}\r\n");
            Assert.Equal("-ERR Protocol error: invalid multibulk length", await socket.ReadLineAsync());
            Assert.Equal("", await socket.ReadUntilClosedAsync());
        }
        await AssertServedAsync();
        await using (var socket = await RawSocket.ConnectAsync(Port))
        {
            var keys = string.Concat(Enumerable.Repeat("$8\r\nlimits:x\r\n", LimitedCluster.MaxArguments - 1));
            await socket.SendAsync($"*{LimitedCluster.MaxArguments}\r\n$6\r\nEXISTS\r\n{keys}");
            Assert.Equal(":0", await socket.ReadLineAsync());
        }
    });

    [Fact]
    public Task InlineLine_OverFlagLimit_ProtocolErrorAndClose_AtLimitServed() => Cluster.VerifyAsync(async () =>
    {
        await using (var socket = await RawSocket.ConnectAsync(Port))
        {
            await socket.SendAsync("ECHO " + new string('a', LimitedCluster.MaxInlineLength) + "\r\n");
            Assert.Equal("-ERR Protocol error: too big inline request", await socket.ReadLineAsync());
            Assert.Equal("", await socket.ReadUntilClosedAsync());
        }
        await AssertServedAsync();
        await using (var socket = await RawSocket.ConnectAsync(Port))
        {
            // "ECHO ", the argument and the CR fill the limit exactly.
            var argument = new string('a', LimitedCluster.MaxInlineLength - 6);
            await socket.SendAsync($"ECHO {argument}\r\n");
            Assert.Equal($"${argument.Length}", await socket.ReadLineAsync());
            Assert.Equal(argument, await socket.ReadLineAsync());
        }
    });

    [Fact]
    public Task NestedAggregateInRequest_ProtocolErrorAndClose_OthersServed() => Cluster.VerifyAsync(async () =>
    {
        await using (var socket = await RawSocket.ConnectAsync(Port))
        {
            await socket.SendAsync("*1\r\n*1\r\n$4\r\nPING\r\n");
            Assert.Equal("-ERR Protocol error: expected '$', got '*'", await socket.ReadLineAsync());
            Assert.Equal("", await socket.ReadUntilClosedAsync());
        }
        await AssertServedAsync();
    });

    [Fact]
    public Task QueryBuffer_RequestLargerThanLimit_DisconnectedWithoutReplyAndLogged_OthersServed() => Cluster.VerifyAsync(async () =>
    {
        await using var socket = await RawSocket.ConnectAsync(Port);
        var id = await ClientIdAsync(socket);
        // Two values of 1.5 MB: each within proto-max-bulk-len, the request not within the 2 MB query buffer.
        var value = new string('v', 3 * MiB / 2);
        try
        {
            await socket.SendAsync($"*5\r\n$4\r\nMSET\r\n$9\r\nlimits:qa\r\n${value.Length}\r\n{value}\r\n$9\r\nlimits:qb\r\n${value.Length}\r\n{value}");
        }
        catch (IOException)
        {
            // The node closed the connection while the rest was still being sent.
        }

        Assert.Equal("", await socket.ReadUntilClosedAsync());
        await WaitForLogAsync(Node, $"closing client {id} (", "over client-query-buffer-limit 2097152");
        await AssertServedAsync();
        Assert.Null(await Cluster.Client.GetAsync("limits:qa"));
    });

    [Fact]
    public Task OutputBuffer_ClientThatNeverReads_DisconnectedAndLogged_MemoryBounded_OthersServed() => Cluster.VerifyAsync(async () =>
    {
        const int valueBytes = 512 * 1024;
        const int gets = 2000; // 1 GB of replies if the node buffered them all
        await Cluster.Client.SetAsync("limits:out", new string('v', valueBytes));
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", Port);
        await socket.SendAsync("CLIENT ID\r\n"u8.ToArray());
        var reply = new byte[64];
        var id = Encoding.ASCII.GetString(reply, 0, await socket.ReceiveAsync(reply)).Trim().TrimStart(':');
        var before = ProcessMemory.ResidentBytes(Node.Pid);

        await socket.SendAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET limits:out\r\n", gets))));

        await WaitForLogAsync(Node, $"closing client {id} (", "over client-output-buffer-limit 4194304");
        await Eventually.TrueAsync(async () => !(await ClientListAsync()).Contains($"id={id} ", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), $"CLIENT LIST no longer lists client {id}");
        var grown = ProcessMemory.ResidentBytes(Node.Pid) - before;
        Assert.True(grown < 256L * MiB, $"the node's RSS grew by {grown / MiB} MiB while a client left {gets} replies of {valueBytes / 1024} KiB unread");
        await AssertServedAsync();
        // What the node sent before closing is a small part of what was asked; then the connection ends.
        var received = await DrainUntilClosedAsync(socket);
        Assert.True(received < 64L * MiB, $"the client received {received} bytes");
    });

    [Fact]
    public Task MaxClients_ConnectionsPastConfigSetLimit_RefusedWithRedisError_OthersServed() => Cluster.VerifyAsync(async () =>
    {
        await using var admin = await RawSocket.ConnectAsync(Port);
        var info = (await Cluster.Client.ExecuteOnAsync(Cluster.NodeEndpoint(0), "INFO", "clients")).AsString()!;
        var connected = int.Parse(ConnectedClients().Match(info).Groups[1].Value, CultureInfo.InvariantCulture);
        var admitted = new List<RawSocket>();
        try
        {
            await admin.SendAsync($"CONFIG SET maxclients {connected + 1}\r\n");
            Assert.Equal("+OK", await admin.ReadLineAsync());
            // One more connection fits; connections closing meanwhile elsewhere could admit a few more, never many.
            string? refusal = null;
            for (var attempt = 0; attempt < 5 && refusal is null; attempt++)
            {
                var socket = await RawSocket.ConnectAsync(Port);
                await socket.SendAsync("PING\r\n");
                var line = await socket.ReadLineAsync();
                if (line == "+PONG")
                {
                    admitted.Add(socket);
                    continue;
                }
                refusal = line;
                Assert.Equal("", await socket.ReadUntilClosedAsync());
                await socket.DisposeAsync();
            }
            Assert.Equal("-ERR max number of clients reached", refusal);
            // Other connections (the shared client's pool, the coordinator) may take the spare place before the
            // loop does, so the refusal is checked against the count itself: it came only at the limit.
            await admin.SendAsync("INFO clients\r\n");
            var body = await admin.ReadBulkAsync();
            Assert.True(int.Parse(ConnectedClients().Match(body).Groups[1].Value, CultureInfo.InvariantCulture) >= connected + 1, body);
            await admin.SendAsync("PING\r\n");
            Assert.Equal("+PONG", await admin.ReadLineAsync());
            foreach (var socket in admitted)
            {
                await socket.SendAsync("PING\r\n");
                Assert.Equal("+PONG", await socket.ReadLineAsync());
            }
        }
        finally
        {
            await admin.SendAsync("CONFIG SET maxclients 10000\r\n");
            Assert.Equal("+OK", await admin.ReadLineAsync());
            foreach (var socket in admitted)
            {
                await socket.DisposeAsync();
            }
        }
        await AssertServedAsync();
    });

    [Fact]
    public Task GlobPatterns_LongerThanFlagLimit_Refused_CvePatternWithinItAnswered() => Cluster.VerifyAsync(async () =>
    {
        var tooLong = new string('a', LimitedCluster.MaxPatternLength) + "*";
        var error = $"ERR pattern is too long ({tooLong.Length} bytes; max-pattern-len is {LimitedCluster.MaxPatternLength})";
        string[][] commands = [["KEYS", tooLong], ["SCAN", "0", "MATCH", tooLong], ["CONFIG", "GET", tooLong], ["COMMAND", "LIST", "FILTERBY", "PATTERN", tooLong]];
        foreach (var command in commands)
        {
            Assert.Equal(error, (await Cluster.Client.ExecuteOnAsync(Cluster.NodeEndpoint(0), command)).AsString());
        }

        // CVE-2022-36021's shape within the limit: 31 stars over keys of thousands of a's. Only the unit tests can
        // bound the steps; here the node answers, right, and goes on serving.
        var keys = Enumerable.Range(4000, 3).Select(length => new string('a', length)).ToList();
        foreach (var key in keys)
        {
            await Cluster.Client.SetAsync(key, "v");
        }
        var miss = string.Concat(Enumerable.Repeat("a*", 31)) + "b";
        var hit = string.Concat(Enumerable.Repeat("a*", 31)) + "a";
        Assert.Empty((await Cluster.Client.ExecuteOnAsync(Cluster.NodeEndpoint(0), "KEYS", miss)).Items);
        var found = (await Cluster.Client.ExecuteOnAsync(Cluster.NodeEndpoint(0), "KEYS", hit)).Items.Select(k => k.AsString()!).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
        await AssertServedAsync();
    });

    [Fact]
    public Task HttpRequest_OnRespPorts_ClosedAtOnceAndLogged_NothingExecuted_OthersServed() => Cluster.VerifyAsync(async () =>
    {
        var coordinator = Cluster.Cluster.Coordinator;
        string[] requests =
        [
            "POST / HTTP/1.1\r\nHost: x\r\n\r\nSET limits:http v\r\n",
            // A browser's PUT: its request line alone would store "HTTP/1.1" under "/limits:put".
            "PUT /limits:put HTTP/1.1\r\nHost: x\r\nContent-Length: 21\r\n\r\nSET limits:http v\r\n",
        ];
        foreach (var port in new[] { Port, coordinator.Port })
        {
            foreach (var request in requests)
            {
                await using var socket = await RawSocket.ConnectAsync(port);
                await socket.SendAsync(request);
                Assert.Equal("", await socket.ReadUntilClosedAsync());
            }
        }

        Assert.Null(await Cluster.Client.GetAsync("limits:http"));
        Assert.Null(await Cluster.Client.GetAsync("/limits:put"));
        await WaitForLogAsync(Node, "Possible SECURITY ATTACK detected", "sent 'POST'");
        await WaitForLogAsync(Node, "Possible SECURITY ATTACK detected", "sent 'PUT'");
        await WaitForLogAsync(coordinator, "Possible SECURITY ATTACK detected", "sent 'PUT'");
        await AssertServedAsync();
    });

    [Fact]
    public Task HeaderFlood_HundredsOfConnectionsAnnouncingTheMaximum_RssBounded_OthersServed() => Cluster.VerifyAsync(async () =>
    {
        const int connections = 400;
        var before = ProcessMemory.ResidentBytes(Node.Pid);
        var stalled = new List<RawSocket>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                var socket = await RawSocket.ConnectAsync(Port);
                if (i % 2 == 0)
                {
                    // Within the limits: the node must wait for 512 MB that never come, holding only what arrived.
                    await socket.SendAsync($"*{LimitedCluster.MaxArguments}\r\n$536870911\r\nabc");
                    stalled.Add(socket);
                }
                else
                {
                    await socket.SendAsync("*1073741823\r\n");
                    Assert.Equal("-ERR Protocol error: invalid multibulk length", await socket.ReadLineAsync());
                    await socket.DisposeAsync();
                }
            }
            await AssertServedAsync();
            var grown = ProcessMemory.ResidentBytes(Node.Pid) - before;
            Assert.True(grown < 256L * MiB, $"RSS grew by {grown / MiB} MiB with {stalled.Count} connections each announcing a 512 MB argument");
        }
        finally
        {
            foreach (var socket in stalled)
            {
                await socket.DisposeAsync();
            }
        }
        await AssertServedAsync();
    });

    /// <summary>
    /// <c>timeout 1</c> on every process: an idle client is closed and an active one is not, while the links between
    /// nodes (CLIENT LIST shows their internal commands), idle far longer, stay open and keep replicating.
    /// </summary>
    [Fact]
    public async Task IdleTimeout_OneSecondOnEveryProcess_IdleClientClosed_ClusterLinksKept()
    {
        await using var cluster = await ClusterFixture.StartAsync(
            nodeArguments: ["--storage", "memory", "--timeout", "1"], coordinatorArguments: ["--timeout", "1"]);
        await cluster.VerifyAsync(async () =>
        {
            var port = cluster.Nodes[0].Port;
            await using var idle = await RawSocket.ConnectAsync(port);
            await using var active = await RawSocket.ConnectAsync(port);
            var closed = idle.ReadUntilClosedAsync();
            var pings = 0;
            while (!closed.IsCompleted)
            {
                await active.SendAsync("PING\r\n");
                Assert.Equal("+PONG", await active.ReadLineAsync());
                pings++;
                await Task.WhenAny(closed, Task.Delay(200));
            }
            Assert.Equal("", await closed);
            Assert.True(pings >= 3, $"the idle connection closed after only {pings} pings of 200 ms");
            await active.SendAsync("PING\r\n");
            Assert.Equal("+PONG", await active.ReadLineAsync());

            var first = await cluster.PreloadAsync("idle:a:", 200);
            var links = "none seen";
            await Eventually.TrueAsync(async () =>
                {
                    var lines = new List<string>();
                    foreach (var node in cluster.Nodes)
                    {
                        var list = (await cluster.Client.ExecuteOnAsync(ClusterFixture.EndpointOf(node), "CLIENT", "LIST")).AsString() ?? "";
                        lines.AddRange(list.Split('\n').Where(line => line.Contains(" cmd=rkv.", StringComparison.Ordinal)));
                    }
                    links = string.Join("; ", lines.Select(line => string.Join(' ', line.Split(' ').Where(f => f.StartsWith("idle=", StringComparison.Ordinal) || f.StartsWith("cmd=", StringComparison.Ordinal)))));
                    return lines.Any(line => IdleSeconds(line) >= 3);
                },
                TimeSpan.FromSeconds(20), "a link between nodes has been idle for 3 s, three timeouts, and is still open", () => links);
            var second = await cluster.PreloadAsync("idle:b:", 200);

            var all = first.Concat(second).ToDictionary();
            foreach (var node in cluster.Nodes)
            {
                await cluster.WaitUntilHeldAsync(node, all, TimeSpan.FromSeconds(30));
            }
            Assert.Empty(await cluster.MismatchesAsync(all));
            Assert.All(await cluster.ListNodesAsync(), node => Assert.Equal("UP", node.State));
        });
    }

    private static int IdleSeconds(string clientLine) =>
        int.Parse(clientLine.Split(' ').First(f => f.StartsWith("idle=", StringComparison.Ordinal))[5..], CultureInfo.InvariantCulture);

    private async Task AssertServedAsync()
    {
        await using var socket = await RawSocket.ConnectAsync(Port);
        await socket.SendAsync("*1\r\n$4\r\nPING\r\n");
        Assert.Equal("+PONG", await socket.ReadLineAsync());
        var key = "limits:served:" + Guid.NewGuid().ToString("N");
        await Cluster.Client.SetAsync(key, "yes");
        Assert.Equal("yes", await Cluster.Client.GetAsync(key));
    }

    private async Task<Dictionary<string, string>> ConfigAsync(string pattern)
    {
        var reply = await Cluster.Client.ExecuteOnAsync(Cluster.NodeEndpoint(0), "CONFIG", "GET", pattern);
        var items = reply.Items;
        return Enumerable.Range(0, items.Count / 2).ToDictionary(i => items[2 * i].AsString()!, i => items[2 * i + 1].AsString()!);
    }

    private async Task ConfigSetAsync(params string[] pairs)
    {
        var reply = await Cluster.Client.ExecuteOnAsync(Cluster.NodeEndpoint(0), ["CONFIG", "SET", .. pairs]);
        Assert.True(reply.AsString() == "OK", $"CONFIG SET {string.Join(' ', pairs)} answered {reply}");
    }

    private async Task<string> ClientListAsync() =>
        (await Cluster.Client.ExecuteOnAsync(Cluster.NodeEndpoint(0), "CLIENT", "LIST")).AsString() ?? "";

    private static async Task<string> ClientIdAsync(RawSocket socket)
    {
        await socket.SendAsync("CLIENT ID\r\n");
        return (await socket.ReadLineAsync()).TrimStart(':');
    }

    /// <summary>Waits until one line of <paramref name="process"/>' output holds every fragment (the console logger writes a little later).</summary>
    private static Task WaitForLogAsync(Cli.Local.ManagedProcess process, params string[] fragments) => Eventually.TrueAsync(
        () => Task.FromResult(process.Output.Split('\n').Any(line => fragments.All(f => line.Contains(f, StringComparison.Ordinal)))),
        TimeSpan.FromSeconds(10), $"{process.Name} logs a line with {string.Join(" and ", fragments.Select(f => $"'{f}'"))}");

    /// <summary>Reads and discards until the peer closes the connection; the bytes received.</summary>
    private static async Task<long> DrainUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                total += read;
            }
        }
        catch (SocketException)
        {
            // Reset by the node: closed with replies unread, which is a close too.
        }
        return total;
    }

    [GeneratedRegex(@"connected_clients:(\d+)")]
    private static partial Regex ConnectedClients();
}
