using System.Globalization;
using RingKV.IntegrationTests.TestKit;
using RingKV.Net;
using RingKV.Protocol;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>
/// Connection and server commands (CLIENT, AUTH, HELLO, CONFIG, INFO) answer as Redis 7.0 does. Each reply is
/// compared with the Redis text written here and, when redis-server is installed, with a live Redis too, so a
/// literal that drifted from Redis fails as well.
/// </summary>
public sealed class ConnectionCommandsTests(SharedCluster shared, LocalRedisServer redis, ITestOutputHelper output)
    : IClassFixture<SharedCluster>, IClassFixture<LocalRedisServer>
{
    private const string NoPasswordError =
        "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?";

    private const string WrongPass = "-WRONGPASS invalid username-password pair or user is disabled.";
    private const string BadName = "-ERR Client names cannot contain spaces, newlines or special characters.";

    /// <summary>CLIENT INFO's fields in Redis 7.0.15, in order.</summary>
    private static readonly string[] s_redis70ClientFields =
    [
        "id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub", "multi", "qbuf",
        "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem", "events", "cmd", "user",
        "redir", "resp",
    ];

    /// <summary>Requests and Redis 7.0.15's replies, rendered by <see cref="Render"/>; executed in order on one connection.</summary>
    private static readonly (string[] Request, string Reply)[] s_redisReplies =
    [
        (["CLIENT"], "-ERR wrong number of arguments for 'client' command"),
        (["CLIENT", "FOO"], "-ERR unknown subcommand 'FOO'. Try CLIENT HELP."),
        (["CLIENT", "SETNAME", "a b"], BadName),
        (["CLIENT", "SETNAME", "caf\u00e9"], BadName),
        (["CLIENT", "SETNAME"], "-ERR wrong number of arguments for 'client|setname' command"),
        (["CLIENT", "GETNAME", "x"], "-ERR wrong number of arguments for 'client|getname' command"),
        (["CLIENT", "ID", "x"], "-ERR wrong number of arguments for 'client|id' command"),
        (["CLIENT", "INFO", "x"], "-ERR wrong number of arguments for 'client|info' command"),
        (["CLIENT", "SETNAME", "cmp-conn"], "+OK"),
        (["CLIENT", "GETNAME"], "$cmp-conn"),
        (["CLIENT", "SETNAME", ""], "+OK"),
        (["CLIENT", "GETNAME"], "(nil)"),
        (["CLIENT", "KILL"], "-ERR wrong number of arguments for 'client|kill' command"),
        (["CLIENT", "KILL", "1.2.3.4:5"], "-ERR No such client"),
        (["CLIENT", "KILL", "ID", "999999"], ":0"),
        (["CLIENT", "KILL", "ID", "abc"], "-ERR client-id should be greater than 0"),
        (["CLIENT", "KILL", "ID", "0"], "-ERR client-id should be greater than 0"),
        (["CLIENT", "KILL", "TYPE", "bogus"], "-ERR Unknown client type 'bogus'"),
        (["CLIENT", "KILL", "TYPE", "master"], ":0"),
        (["CLIENT", "KILL", "ADDR", "1.2.3.4:5"], ":0"),
        (["CLIENT", "KILL", "USER", "nobody"], "-ERR No such user 'nobody'"),
        (["CLIENT", "KILL", "SKIPME", "maybe"], "-ERR syntax error"),
        (["CLIENT", "KILL", "foo", "bar"], "-ERR syntax error"),
        (["CLIENT", "KILL", "ID", "999999", "SKIPME"], "-ERR syntax error"),
        (["CLIENT", "LIST", "foo"], "-ERR syntax error"),
        (["CLIENT", "LIST", "TYPE", "bogus"], "-ERR Unknown client type 'bogus'"),
        (["CLIENT", "LIST", "TYPE", "master"], "$"),
        (["CLIENT", "LIST", "ID", "abc"], "-ERR Invalid client ID"),
        (["CLIENT", "LIST", "ID", "999999"], "$"),
        (["CLIENT", "NO-EVICT", "maybe"], "-ERR syntax error"),
        (["CLIENT", "NO-EVICT", "on"], "+OK"),
        (["CLIENT", "NO-EVICT"], "-ERR wrong number of arguments for 'client|no-evict' command"),
        (["AUTH"], "-ERR wrong number of arguments for 'auth' command"),
        (["AUTH", "pw"], NoPasswordError),
        (["AUTH", "default", "anything"], "+OK"),
        (["AUTH", "otheruser", "pw"], WrongPass),
        (["AUTH", "a", "b", "c"], "-ERR syntax error"),
        (["HELLO", "4"], "-NOPROTO unsupported protocol version"),
        (["HELLO", "1"], "-NOPROTO unsupported protocol version"),
        (["HELLO", "abc"], "-ERR Protocol version is not an integer or out of range"),
        (["HELLO", "3", "AUTH", "otheruser", "x"], WrongPass),
        (["HELLO", "3", "AUTH", "x"], "-ERR Syntax error in HELLO option 'AUTH'"),
        (["HELLO", "3", "foo"], "-ERR Syntax error in HELLO option 'foo'"),
        (["HELLO", "2", "SETNAME", "a b"], BadName),
        (["CONFIG"], "-ERR wrong number of arguments for 'config' command"),
        (["CONFIG", "FOO"], "-ERR unknown subcommand 'FOO'. Try CONFIG HELP."),
        (["CONFIG", "GET"], "-ERR wrong number of arguments for 'config|get' command"),
        (["CONFIG", "GET", "no-such-parameter"], "*[]"),
        (["CONFIG", "SET", "maxclients"], "-ERR wrong number of arguments for 'config|set' command"),
        (["CONFIG", "SET", "maxclients", "10", "timeout"], "-ERR syntax error"),
        (["CONFIG", "SET", "xyz", "1"], "-ERR Unknown option or number of arguments for CONFIG SET - 'xyz'"),
        (["CONFIG", "SET", "maxclients", "10", "xyz", "1"], "-ERR Unknown option or number of arguments for CONFIG SET - 'xyz'"),
        (["CONFIG", "SET", "daemonize", "yes"], "-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"),
        (["CONFIG", "SET", "databases", "2"], "-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
        (["CONFIG", "SET", "maxclients", "abc"], "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer"),
        (["CONFIG", "SET", "maxclients", "0"], "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive"),
        (["CONFIG", "SET", "maxclients", "10", "maxclients", "20"], "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - duplicate parameter"),
        (["CONFIG", "RESETSTAT", "x"], "-ERR wrong number of arguments for 'config|resetstat' command"),
        (["CONFIG", "RESETSTAT"], "+OK"),
        (["CONFIG", "REWRITE"], "-ERR The server is running without a config file"),
    ];

    private ClusterFixture Cluster => shared.Fixture;

    [Fact]
    public async Task ClientAuthHelloConfig_RepliesAndErrors_MatchRedis70()
    {
        await Cluster.VerifyAsync(async () =>
        {
            await using var node = await ClusterFixture.ConnectAsync(Cluster.Nodes[0]);
            await using var live = await ConnectRedisAsync();
            var differences = new List<string>();
            foreach (var (request, expected) in s_redisReplies)
            {
                var command = string.Join(' ', request);
                var ours = Render(await node.ExecuteAsync(request));
                if (ours != expected)
                {
                    differences.Add($"RingKV  {command}: {ours}\n        expected {expected}");
                }
                if (live is not null && Render(await live.ExecuteAsync(request)) is var theirs && theirs != expected)
                {
                    differences.Add($"Redis   {command}: {theirs}\n        expected {expected}");
                }
            }
            Assert.True(differences.Count == 0, string.Join('\n', differences));
        });
    }

    [Fact]
    public async Task ClientList_TwoNamedConnections_ShowsBothWithTheirNamesAndLastCommands()
    {
        await Cluster.VerifyAsync(async () =>
        {
            await using var first = await ClusterFixture.ConnectAsync(Cluster.Nodes[0]);
            await using var second = await ClusterFixture.ConnectAsync(Cluster.Nodes[0]);
            Assert.Equal("OK", (await first.ExecuteAsync("CLIENT", "SETNAME", "list-first")).AsString());
            Assert.Equal("OK", (await second.ExecuteAsync("CLIENT", "SETNAME", "list-second")).AsString());
            await second.ExecuteAsync("GET", "list:key");
            var firstId = (await first.ExecuteAsync("CLIENT", "ID")).Integer;
            var secondId = (await second.ExecuteAsync("CLIENT", "ID")).Integer;

            var list = Text(await first.ExecuteAsync("CLIENT", "LIST"));
            output.WriteLine(list);
            var lines = list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Fields).ToList();
            var mine = Assert.Single(lines, f => f["id"] == firstId.ToString(CultureInfo.InvariantCulture));
            var theirs = Assert.Single(lines, f => f["id"] == secondId.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(("list-first", "client|list"), (mine["name"], mine["cmd"]));
            Assert.Equal(("list-second", "client|id"), (theirs["name"], theirs["cmd"]));
            Assert.All(lines, f => Assert.Equal($"127.0.0.1:{Cluster.Nodes[0].Port}", f["laddr"]));
            Assert.True(list.EndsWith('\n'), "every CLIENT LIST line ends with a newline, the last one included");

            var byId = Text(await first.ExecuteAsync("CLIENT", "LIST", "ID", secondId.ToString(CultureInfo.InvariantCulture)));
            Assert.Equal("list-second", Fields(Assert.Single(byId.Split('\n', StringSplitOptions.RemoveEmptyEntries)))["name"]);
            var normal = Text(await first.ExecuteAsync("CLIENT", "LIST", "TYPE", "normal"));
            Assert.Contains("name=list-first ", normal, StringComparison.Ordinal);
            Assert.Contains("name=list-second ", normal, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ClientKillId_ClosesTheOtherConnection_WhichSeesTheClose()
    {
        await Cluster.VerifyAsync(async () =>
        {
            await using var victim = await RawSocket.ConnectAsync(Cluster.Nodes[0].Port);
            await victim.SendAsync("CLIENT ID\r\n");
            var idLine = await victim.ReadLineAsync();
            Assert.StartsWith(":", idLine, StringComparison.Ordinal);
            var id = idLine[1..];

            await using var killer = await ClusterFixture.ConnectAsync(Cluster.Nodes[0]);
            Assert.Equal(1, (await killer.ExecuteAsync("CLIENT", "KILL", "ID", id)).Integer);
            var leftover = await victim.ReadUntilClosedAsync();
            Assert.Equal("", leftover);

            Assert.DoesNotContain($"id={id} ", Text(await killer.ExecuteAsync("CLIENT", "LIST")), StringComparison.Ordinal);
            Assert.Equal(0, (await killer.ExecuteAsync("CLIENT", "KILL", "ID", id)).Integer);
            Assert.Equal("PONG", (await killer.ExecuteAsync("PING")).AsString());
        });
    }

    [Fact]
    public async Task ClientKill_OwnAddressOldForm_RepliesOkThenCloses()
    {
        await Cluster.VerifyAsync(async () =>
        {
            await using var self = await RawSocket.ConnectAsync(Cluster.Nodes[0].Port);
            await self.SendAsync("CLIENT INFO\r\n");
            Assert.StartsWith("$", await self.ReadLineAsync(), StringComparison.Ordinal);
            var address = Fields((await self.ReadLineAsync()).TrimEnd('\n'))["addr"];
            await self.SendAsync($"CLIENT KILL {address}\r\n");
            Assert.Equal("+OK\r\n", await self.ReadUntilClosedAsync());
        });
    }

    [Fact]
    public async Task ClientInfo_FieldsAreRedis70sThenLibraryAndCommandCount_InResp2AndResp3()
    {
        await Cluster.VerifyAsync(async () =>
        {
            await using var live = await ConnectRedisAsync();
            if (live is not null && redis.Version.StartsWith("redis_version:7.0.", StringComparison.Ordinal))
            {
                Assert.Equal(s_redis70ClientFields, Fields(Text(await live.ExecuteAsync("CLIENT", "INFO")).TrimEnd('\n')).Keys);
            }

            await using var node = await ClusterFixture.ConnectAsync(Cluster.Nodes[0]);
            Assert.Equal("OK", (await node.ExecuteAsync("CLIENT", "SETINFO", "LIB-NAME", "ringkv-tests")).AsString());
            Assert.Equal("OK", (await node.ExecuteAsync("CLIENT", "SETINFO", "lib-ver", "1.2.3")).AsString());
            Assert.Equal("-ERR Unrecognized option 'lib-foo'", Render(await node.ExecuteAsync("CLIENT", "SETINFO", "lib-foo", "x")));
            Assert.Equal("-ERR lib-name cannot contain spaces, newlines or special characters.",
                Render(await node.ExecuteAsync("CLIENT", "SETINFO", "lib-name", "a b")));
            var reply = await node.ExecuteAsync("CLIENT", "INFO");
            Assert.Equal(RespType.BulkString, reply.Type);
            var info = Text(reply);
            output.WriteLine(info);
            Assert.EndsWith("\n", info, StringComparison.Ordinal);
            var fields = Fields(info.TrimEnd('\n'));
            Assert.Equal([.. s_redis70ClientFields, "lib-name", "lib-ver", "tot-cmds"], fields.Keys);
            Assert.Equal((await node.ExecuteAsync("CLIENT", "ID")).Integer.ToString(CultureInfo.InvariantCulture), fields["id"]);
            Assert.Equal(("client|info", "2", "default", "N", "0"), (fields["cmd"], fields["resp"], fields["user"], fields["flags"], fields["db"]));
            Assert.Equal(("ringkv-tests", "1.2.3"), (fields["lib-name"], fields["lib-ver"]));

            await using var resp3 = await ClusterFixture.ConnectAsync(Cluster.Nodes[0]);
            var hello = await resp3.ExecuteAsync("HELLO", "3", "AUTH", "default", "any-password", "SETNAME", "resp3-conn");
            Assert.Equal(RespType.Map, hello.Type);
            Assert.Equal("3", MapValue(hello, "proto"));
            var verbatim = await resp3.ExecuteAsync("CLIENT", "INFO");
            Assert.Equal(RespType.VerbatimString, verbatim.Type);
            var resp3Fields = Fields(Text(verbatim).TrimEnd('\n'));
            Assert.Equal(("3", "resp3-conn"), (resp3Fields["resp"], resp3Fields["name"]));
            Assert.True((await resp3.ExecuteAsync("CLIENT", "GETNAME", "x")).IsError);
            Assert.Equal(RespType.Null, (await resp3.ExecuteAsync("GET", "resp3:missing")).Type);
            if (live is not null)
            {
                Assert.Equal(RespType.Map, (await live.ExecuteAsync("HELLO", "3", "AUTH", "default", "any-password")).Type);
                Assert.Equal(RespType.VerbatimString, (await live.ExecuteAsync("CLIENT", "INFO")).Type);
            }
        });
    }

    [Fact]
    public async Task ConfigSet_SettableParameters_AreVisibleInConfigGetOnEveryConnection()
    {
        await Cluster.VerifyAsync(async () =>
        {
            await using var setter = await ClusterFixture.ConnectAsync(Cluster.Nodes[1]);
            await using var reader = await ClusterFixture.ConnectAsync(Cluster.Nodes[1]);
            try
            {
                Assert.Equal("+OK", Render(await setter.ExecuteAsync("CONFIG", "SET", "maxclients", "5000", "read-consistency", "one")));
                Assert.Equal("*[$maxclients, $5000]", Render(await reader.ExecuteAsync("CONFIG", "GET", "maxclients")));
                Assert.Equal("*[$read-consistency, $ONE]", Render(await reader.ExecuteAsync("CONFIG", "GET", "read-consistency")));
                // The caller's own connection takes the new level; so do connections opened afterwards.
                Assert.Equal("read=ONE write=QUORUM", (await setter.ExecuteAsync("CONSISTENCY")).AsString());
                await using var later = await ClusterFixture.ConnectAsync(Cluster.Nodes[1]);
                Assert.Equal("read=ONE write=QUORUM", (await later.ExecuteAsync("CONSISTENCY")).AsString());

                Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'write-consistency') - argument(s) must be one of the following: ONE, QUORUM, ALL",
                    Render(await setter.ExecuteAsync("CONFIG", "SET", "write-consistency", "most")));
                // All or nothing: the valid maxclients is not applied when another value in the same call is invalid.
                Assert.StartsWith("-ERR CONFIG SET failed", Render(await setter.ExecuteAsync("CONFIG", "SET", "maxclients", "7", "write-consistency", "most")),
                    StringComparison.Ordinal);
                // A name without glob characters is answered under the caller's spelling, as Redis does.
                Assert.Equal("*[$MAXCLIENTS, $5000]", Render(await reader.ExecuteAsync("CONFIG", "GET", "MAXCLIENTS")));

                var all = (await reader.ExecuteAsync("CONFIG", "GET", "*")).Items.Where((_, i) => i % 2 == 0).Select(v => v.AsString()).ToList();
                Assert.Superset(new HashSet<string?> { "port", "bind", "save", "appendonly", "databases", "maxclients", "timeout",
                    "proto-max-bulk-len", "read-consistency", "write-consistency" }, all.ToHashSet());
                Assert.Equal($"*[$port, ${Cluster.Nodes[1].Port}]", Render(await reader.ExecuteAsync("CONFIG", "GET", "port")));
                Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config",
                    Render(await reader.ExecuteAsync("CONFIG", "SET", "port", "1")));
                Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'appendonly') - can't set immutable config",
                    Render(await reader.ExecuteAsync("CONFIG", "SET", "appendonly", "yes")));
            }
            finally
            {
                await setter.ExecuteAsync("CONFIG", "SET", "maxclients", "10000", "read-consistency", "QUORUM");
            }
        });
    }

    [Fact]
    public async Task CoordinatorInfo_HasClientsAndMemorySections()
    {
        await Cluster.VerifyAsync(async () =>
        {
            var coordinator = Cluster.CoordinatorEndpoint;
            var clients = (await Cluster.Client.ExecuteOnAsync(coordinator, "INFO", "clients")).AsString() ?? "";
            var memory = (await Cluster.Client.ExecuteOnAsync(coordinator, "INFO", "memory")).AsString() ?? "";
            output.WriteLine(clients + memory);
            Assert.StartsWith("# Clients\r\nconnected_clients:", clients, StringComparison.Ordinal);
            Assert.Contains("\r\nmaxclients:10000\r\n", clients, StringComparison.Ordinal);
            Assert.Contains("\r\nblocked_clients:0\r\n", clients, StringComparison.Ordinal);
            Assert.StartsWith("# Memory\r\nused_memory:", memory, StringComparison.Ordinal);
            foreach (var field in (string[])["used_memory_human:", "used_memory_rss:", "maxmemory:0\r\n", "mem_allocator:dotnet\r\n"])
            {
                Assert.Contains("\r\n" + field, memory, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("# Cluster", clients, StringComparison.Ordinal);
        });
    }

    /// <summary>A connection to the live Redis, or null (with a note in the output) when redis-server is missing.</summary>
    private async Task<RespConnection?> ConnectRedisAsync()
    {
        if (!redis.IsAvailable)
        {
            output.WriteLine($"NOTICE: no live Redis to compare with ({redis.Problem}); checking against the Redis 7.0.15 texts in this file only.");
            return null;
        }
        output.WriteLine($"comparing with a live Redis ({redis.Version}) on port {redis.Port}");
        return await redis.ConnectAsync();
    }

    /// <summary>One line per reply: -error, +status, :integer, $bulk, (nil), *[items], %map as flat items.</summary>
    private static string Render(RespValue value) => value.Type switch
    {
        RespType.Error or RespType.BulkError => "-" + value.AsString(),
        RespType.SimpleString => "+" + value.AsString(),
        RespType.Integer => ":" + value.Integer.ToString(CultureInfo.InvariantCulture),
        RespType.Null => "(nil)",
        RespType.Array or RespType.Map or RespType.Set => "*[" + string.Join(", ", value.Items.Select(Render)) + "]",
        _ => "$" + Text(value),
    };

    /// <summary>The text of a bulk or verbatim string (without RESP3's <c>txt:</c> format prefix).</summary>
    private static string Text(RespValue value)
    {
        Assert.False(value.IsError, $"unexpected error reply: {value.AsString()}");
        var text = value.AsString() ?? "";
        return value.Type == RespType.VerbatimString && text.StartsWith("txt:", StringComparison.Ordinal) ? text[4..] : text;
    }

    /// <summary>The <c>name=value</c> fields of one CLIENT LIST line, in order.</summary>
    private static OrderedDictionary<string, string> Fields(string line)
    {
        var fields = new OrderedDictionary<string, string>();
        foreach (var pair in line.Split(' '))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"'{pair}' in '{line}' is not name=value");
            fields.Add(pair[..equals], pair[(equals + 1)..]);
        }
        return fields;
    }

    private static string? MapValue(RespValue map, string key)
    {
        for (var i = 0; i + 1 < map.Items.Count; i += 2)
        {
            if (map.Items[i].AsString() == key)
            {
                return map.Items[i + 1].AsString();
            }
        }
        return null;
    }
}
