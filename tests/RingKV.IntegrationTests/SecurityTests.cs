using System.Net;
using System.Net.Sockets;
using System.Text;
using RingKV.Cli.Local;
using RingKV.IntegrationTests.Nemesis;
using RingKV.IntegrationTests.TestKit;
using RingKV.Net;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>
/// <c>--requirepass</c>, <c>--cluster-secret</c> and protected mode on real processes: clients must authenticate,
/// strangers are held to tiny requests, only the cluster's own processes run internal commands, a node with another
/// secret cannot join, and no secret shows up in logs, INFO or <c>config show</c>.
/// </summary>
public sealed class SecurityTests(ITestOutputHelper output)
{
    // Distinctive, so a leak anywhere in the processes' output is found by a plain substring search.
    private static readonly string Password = "pw-" + Guid.NewGuid().ToString("N");
    private static readonly string Secret = "cs-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task PasswordAndSecret_ClientsAuthenticate_ClusterReplicates_InternalCommandsNeedTheSecret_NothingLeaks()
    {
        await using var cluster = await ClusterFixture.StartAsync(password: Password, clusterSecret: Secret);
        await cluster.VerifyAsync(async () =>
        {
            // The authenticated client writes and reads: forwarding and replication between nodes passed the secret.
            var pairs = KeyValues.Make("secure", 60);
            Assert.Empty(await KeyValues.WriteAsync(pairs, (k, v) => cluster.Client.SetAsync(k, v)));
            Assert.Empty(await KeyValues.MismatchesAsync(pairs, cluster.Client.GetAsync));

            var node = cluster.Nodes[0];
            await using (var stranger = await RespConnection.ConnectAsync("127.0.0.1", node.Port, TimeSpan.FromSeconds(2)))
            {
                Assert.StartsWith("NOAUTH", (await stranger.ExecuteAsync("GET", "secure:1")).AsString());
                Assert.StartsWith("NOAUTH", (await stranger.ExecuteAsync("PING")).AsString());
                Assert.StartsWith("NOAUTH HELLO must be called", (await stranger.ExecuteAsync("HELLO", "3")).AsString());
                Assert.StartsWith("WRONGPASS", (await stranger.ExecuteAsync("AUTH", "guess")).AsString());
                Assert.StartsWith("NOAUTH", (await stranger.ExecuteAsync("GET", "secure:1")).AsString());
                Assert.Equal("OK", (await stranger.ExecuteAsync("AUTH", Password)).AsString());
                Assert.Equal(pairs["secure:1"], (await stranger.ExecuteAsync("GET", "secure:1")).AsString());
                // A client that knows the password still cannot speak the cluster's own protocol.
                Assert.StartsWith("NOPERM", (await stranger.ExecuteAsync("RKV.LOCALGET", "secure:1")).AsString());
                Assert.StartsWith("WRONGPASS", (await stranger.ExecuteAsync("AUTH", ServerSecurity.ClusterUser, Password)).AsString());
                Assert.Equal("OK", (await stranger.ExecuteAsync("AUTH", ServerSecurity.ClusterUser, Secret)).AsString());
                Assert.False((await stranger.ExecuteAsync("RKV.LOCALGET", "secure:1")).IsError);
                var info = (await stranger.ExecuteAsync("INFO", "everything")).AsString()!;
                Assert.DoesNotContain(Password, info);
                Assert.DoesNotContain(Secret, info);
                Assert.DoesNotContain((await stranger.ExecuteAsync("CONFIG", "GET", "requirepass")).Items, i => i.AsString() == Password);
            }
            await using (var coordinator = await RespConnection.ConnectAsync("127.0.0.1", cluster.Cluster.Coordinator.Port, TimeSpan.FromSeconds(2)))
            {
                Assert.StartsWith("NOAUTH", (await coordinator.ExecuteAsync("LIST_NODES")).AsString());
                Assert.Equal("OK", (await coordinator.ExecuteAsync("AUTH", "default", Password)).AsString());
                Assert.Equal(3, (await coordinator.ExecuteAsync("LIST_NODES")).Items.Count);
                // Registration is internal: a client cannot add a node to the ring.
                Assert.StartsWith("NOPERM", (await coordinator.ExecuteAsync("REGISTER_NODE", "intruder", "127.0.0.1", "1")).AsString());
            }

            // A node with another secret cannot join: the coordinator refuses its handshake, and it says why.
            var intruder = await ManagedProcess.StartAsync("intruder",
                ["node", "--id", "intruder", "--port", "0", "--http-port", "0", "--coordinator", cluster.CoordinatorEndpoint, "--storage", "memory",
                 "--data-dir", Path.Combine(cluster.Options.DataDirectory, "intruder"), "--heartbeat-interval", "250ms",
                 "--requirepass", Password, "--cluster-secret", "not-" + Secret], echo: false, TimeSpan.FromSeconds(30));
            await using (intruder)
            {
                Assert.Contains("not registered yet", intruder.Output);
                await Eventually.TrueAsync(() => Task.FromResult(intruder.Output.Contains("refused this node's credentials")),
                    TimeSpan.FromSeconds(10), "the intruder logs that the coordinator refused its credentials", () => intruder.Output);
                Assert.DoesNotContain((await cluster.ListNodesAsync()), n => n.Id == "intruder");
                // Nor can it reach a node's internal commands with its own secret.
                await using var asIntruder = await RespConnection.ConnectAsync("127.0.0.1", node.Port, TimeSpan.FromSeconds(2));
                Assert.StartsWith("WRONGPASS", (await asIntruder.ExecuteAsync("AUTH", ServerSecurity.ClusterUser, "not-" + Secret)).AsString());
                Assert.DoesNotContain(Password, intruder.Output);
                Assert.DoesNotContain(Secret, intruder.Output);
            }

            var logs = cluster.DumpLogs();
            Assert.DoesNotContain(Password, logs);
            Assert.DoesNotContain(Secret, logs);
        });
    }

    [Fact]
    public async Task Unauthenticated_Connections_AreHeldToTinyRequests_AuthenticatedOnesAreNot()
    {
        await using var cluster = await ClusterFixture.StartAsync(nodes: 1, replicationFactor: 1, password: Password);
        await cluster.VerifyAsync(async () =>
        {
            var port = cluster.Nodes[0].Port;
            // More than 10 arguments before AUTH: a protocol error and the connection is closed.
            await using (var many = await RawSocket.ConnectAsync(port))
            {
                await many.SendAsync("*11\r\n" + string.Concat(Enumerable.Repeat("$1\r\nx\r\n", 11)));
                Assert.Contains("-ERR Protocol error", await many.ReadUntilClosedAsync());
            }
            // An argument over 16 KiB before AUTH: refused from its header, before any of it is buffered.
            await using (var big = await RawSocket.ConnectAsync(port))
            {
                await big.SendAsync("*2\r\n$4\r\nAUTH\r\n$100000\r\n");
                Assert.Contains("-ERR Protocol error", await big.ReadUntilClosedAsync());
            }
            // Authenticated, the same sizes are ordinary.
            await using var client = await RespConnection.ConnectAsync("127.0.0.1", port, TimeSpan.FromSeconds(2));
            Assert.Equal("OK", (await client.ExecuteAsync("AUTH", Password)).AsString());
            var value = new string('v', 100_000);
            Assert.Equal("OK", (await client.ExecuteAsync("SET", "big", value)).AsString());
            Assert.Equal("OK", (await client.ExecuteAsync(["MSET", .. Enumerable.Range(0, 6).SelectMany(i => new[] { $"k{i}", "v" })])).AsString());
            Assert.Equal(value, (await client.ExecuteAsync("GET", "big")).AsString());
        });
    }

    [Fact]
    public async Task Http_WithAPassword_NeedsBearerOrBasic_ExceptHealthAndReady()
    {
        await using var cluster = await ClusterFixture.StartAsync(nodes: 1, replicationFactor: 1, password: Password);
        await cluster.VerifyAsync(async () =>
        {
            foreach (var process in new[] { cluster.Nodes[0], cluster.Cluster.Coordinator })
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{process.HttpPort}/") };
                foreach (var path in new[] { "v1/cluster", "metrics", "v1/overview", "dashboard/", "openapi/v1.json" })
                {
                    using var anonymous = await http.GetAsync(path);
                    Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                    Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());
                }
                foreach (var path in new[] { "health", "ready" })
                {
                    using var open = await http.GetAsync(path);
                    Assert.Equal(HttpStatusCode.OK, open.StatusCode);
                }
                using var wrong = new HttpRequestMessage(HttpMethod.Get, "v1/cluster") { Headers = { { "Authorization", "Bearer not-it" } } };
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
                using var bearer = new HttpRequestMessage(HttpMethod.Get, "v1/cluster") { Headers = { { "Authorization", "Bearer " + Password } } };
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer)).StatusCode);
                var basicValue = Convert.ToBase64String(Encoding.UTF8.GetBytes("default:" + Password));
                using var basic = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { { "Authorization", "Basic " + basicValue } } };
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(basic)).StatusCode);
            }
        });
    }

    [Fact]
    public async Task ConfigShow_PrintsSecretsAsSet_NeverTheirValues()
    {
        var result = await RingKvCli.RunAsync(TimeSpan.FromSeconds(30), "config", "show", "--role", "node", "--requirepass", Password, "--cluster-secret", Secret, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var printed = result.StandardOutput + result.StandardError;
        Assert.DoesNotContain(Password, printed);
        Assert.DoesNotContain(Secret, printed);
        Assert.Contains("(set)", result.StandardOutput);
    }

    [Fact]
    public async Task ProtectedMode_RefusesNonLoopbackClientsWithoutAPassword_UntilAPasswordOrNoIsGiven()
    {
        await using var lab = await Labs.CreateOrSkipAsync(1, output);
        if (lab is null)
        {
            return;
        }
        var bridge = lab.BridgeAddress;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ringkv-it-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            // Bound to the bridge, clients connect from the bridge address: not loopback.
            await using (var open = await StartCoordinatorAsync(bridge, dataDirectory, "default-mode"))
            {
                var refused = await SendAsync(bridge, open.Port, "PING\r\n");
                Assert.StartsWith("-DENIED RingKV is running in protected mode", refused.Reply);
                Assert.True(refused.Closed, "a protected-mode refusal closes the connection");
            }
            await using (var unprotected = await StartCoordinatorAsync(bridge, dataDirectory, "no-protection", "--protected-mode", "no"))
            {
                Assert.Equal("+PONG", (await SendAsync(bridge, unprotected.Port, "PING\r\n")).Reply);
            }
            await using (var withPassword = await StartCoordinatorAsync(bridge, dataDirectory, "password", "--requirepass", Password))
            {
                Assert.StartsWith("-NOAUTH", (await SendAsync(bridge, withPassword.Port, "PING\r\n")).Reply);
                Assert.Equal("+PONG", (await SendAsync(bridge, withPassword.Port, $"AUTH {Password}\r\nPING\r\n", lines: 2)).Reply.Split('\n')[^1]);
            }
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private static Task<ManagedProcess> StartCoordinatorAsync(IPAddress bind, string dataDirectory, string name, params string[] extra) =>
        ManagedProcess.StartAsync(name, ["coordinator", "--port", "0", "--http-port", "off", "--bind", bind.ToString(),
            "--data-dir", Path.Combine(dataDirectory, name), .. extra], echo: false, TimeSpan.FromSeconds(30), host: bind.ToString());

    /// <summary>
    /// Sends inline commands over a fresh connection and reads until <paramref name="lines"/> reply lines came, then
    /// whether the server closes (within a second); returns the lines read (even if fewer came) and whether it closed.
    /// </summary>
    private static async Task<(string Reply, bool Closed)> SendAsync(IPAddress host, int port, string commands, int lines = 1)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(commands));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        var closed = false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (received.ToString().Count(c => c == '\n') < lines)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    closed = true;
                    break;
                }
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            if (!closed)
            {
                using var linger = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                linger.CancelAfter(TimeSpan.FromSeconds(1));
                closed = await stream.ReadAsync(buffer, linger.Token) == 0;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            closed = true;
        }
        return (received.ToString().TrimEnd('\r', '\n').Replace("\r\n", "\n"), closed);
    }
}
