using System.Buffers;
using System.Text;
using RingKV.Protocol.Commands;

namespace RingKV.Protocol.Tests;

public class CommandIntrospectionTests
{
    // redis-server 7.0.15's exact replies to COMMAND INFO get (RESP2, then after HELLO 3).
    private const string RedisInfoGetResp2 =
        "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n" +
        "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n" +
        "*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n" +
        "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";

    private const string RedisInfoGetResp3 =
        "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n" +
        "~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n" +
        "%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n" +
        "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";

    private static string Run(int protocol, params string[] args) => Run(CommandRoles.Node, protocol, args);

    private static string Run(CommandRoles role, int protocol, params string[] args)
    {
        var output = new ArrayBufferWriter<byte>();
        CommandIntrospection.Execute(RespRequest.FromStrings(args), new RespWriter(output, protocol), role);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static RespValue Parse(string reply)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(reply)));
        Assert.True(RespReplyParser.TryParse(ref reader, RespLimits.Default, out var value), "incomplete reply");
        Assert.Equal(0, reader.Remaining);
        return value;
    }

    private static string Summary(string name) => CommandCatalog.Find(CommandRoles.Node, name)!.Summary;

    [Theory]
    [InlineData(2, RedisInfoGetResp2)]
    [InlineData(3, RedisInfoGetResp3)]
    public void InfoGet_ByteForByteAsRedis(int protocol, string expected) => Assert.Equal(expected, Run(protocol, "COMMAND", "INFO", "get"));

    [Theory]
    [InlineData(2, "*10\r\n")]
    [InlineData(3, "%5\r\n")]
    public void DocsGet_AsRedisWithOurSummary(int protocol, string docsHeader)
    {
        var summary = Summary("get");
        var arguments = protocol == 3
            ? "*1\r\n%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n"
            : "*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n";
        var expected = (protocol == 3 ? "%1\r\n" : "*2\r\n") + "$3\r\nget\r\n" + docsHeader +
            $"$7\r\nsummary\r\n${summary.Length}\r\n{summary}\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n" +
            "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n" + arguments;

        Assert.Equal(expected, Run(protocol, "COMMAND", "DOCS", "GET"));
    }

    [Fact]
    public void DocsSet_ArgumentTreeOnTheWire()
    {
        var docs = Parse(Run(3, "COMMAND", "DOCS", "set"));
        var arguments = Field(Field(docs, "set"), "arguments");

        Assert.Equal(["key", "value", "nx-xx", "get", "choice"],
            arguments.Items.Select(a => Field(a, "name").AsString()));
        Assert.Equal(["key", "string", "oneof", "pure-token", "oneof"], arguments.Items.Select(a => Field(a, "type").AsString()));
        var expiry = arguments.Items[4];
        Assert.Equal(RespType.Set, Field(expiry, "flags").Type);
        Assert.Equal(["optional"], Field(expiry, "flags").Items.Select(f => f.AsString()));
        Assert.Equal(["EX", "PX", "EXAT", "PXAT", "KEEPTTL"], Field(expiry, "arguments").Items.Select(a => Field(a, "token").AsString()));
        Assert.Equal(["integer", "integer", "unix-time", "unix-time", "pure-token"],
            Field(expiry, "arguments").Items.Select(a => Field(a, "type").AsString()));
    }

    // What redis-cli 7.0 does with COMMAND DOCS (redis-cli.c cliInitCommandHelpEntry / cliAddArgument): it asserts on
    // the types and builds each hint. Every entry of both roles must pass, in RESP2 and RESP3, and its hint must be
    // the catalog's syntax line.
    [Theory]
    [InlineData(CommandRoles.Node, 2)]
    [InlineData(CommandRoles.Node, 3)]
    [InlineData(CommandRoles.Coordinator, 2)]
    [InlineData(CommandRoles.Coordinator, 3)]
    public void Docs_ParseTheWayRedisCliDoes(CommandRoles role, int protocol)
    {
        var table = Parse(Run(role, protocol, "COMMAND", "DOCS"));
        var hints = new Dictionary<string, string>();
        CollectHints(table, hints);

        var expected = CommandCatalog.For(role).SelectMany(c => c.Subcommands.Prepend(c))
            .ToDictionary(c => c.Name, c => c.Syntax.Replace("(", "").Replace(")", ""));
        Assert.Equal(expected.OrderBy(p => p.Key), hints.OrderBy(p => p.Key));
    }

    private static void CollectHints(RespValue table, Dictionary<string, string> hints)
    {
        Assert.True(table.Type is RespType.Map or RespType.Array);
        for (var i = 0; i < table.Items.Count; i += 2)
        {
            Assert.Equal(RespType.BulkString, table.Items[i].Type);
            var specs = table.Items[i + 1];
            Assert.True(specs.Type is RespType.Map or RespType.Array);
            var hint = "";
            var hasGroup = false;
            for (var j = 0; j < specs.Items.Count; j += 2)
            {
                var value = specs.Items[j + 1];
                switch (specs.Items[j].AsString())
                {
                    case "summary" or "since" or "group":
                        Assert.Equal(RespType.BulkString, value.Type);
                        hasGroup |= specs.Items[j].AsString() == "group";
                        break;
                    case "arguments":
                        Assert.Equal(RespType.Array, value.Type);
                        hint = string.Join(' ', value.Items.Select(CliArgument));
                        break;
                    case "subcommands":
                        CollectHints(value, hints);
                        break;
                }
            }
            Assert.True(hasGroup, $"{table.Items[i].AsString()} has no group: redis-cli's HELP @group would crash");
            hints.Add(table.Items[i].AsString()!, hint);
        }
    }

    private static string CliArgument(RespValue argument)
    {
        string? name = null, type = null, token = null;
        bool optional = false, multiple = false, multipleToken = false;
        RespValue? children = null;
        for (var i = 0; i < argument.Items.Count; i += 2)
        {
            var value = argument.Items[i + 1];
            switch (argument.Items[i].AsString())
            {
                case "name" or "type" or "token":
                    Assert.Equal(RespType.BulkString, value.Type);
                    if (argument.Items[i].AsString() == "name") { name = value.AsString(); }
                    else if (argument.Items[i].AsString() == "type") { type = value.AsString(); }
                    else { token = value.AsString(); }
                    break;
                case "flags":
                    Assert.True(value.Type is RespType.Set or RespType.Array);
                    Assert.All(value.Items, f => Assert.Equal(RespType.SimpleString, f.Type));
                    optional = value.Items.Any(f => f.AsString() == "optional");
                    multiple = value.Items.Any(f => f.AsString() == "multiple");
                    multipleToken = value.Items.Any(f => f.AsString() == "multiple_token");
                    break;
                case "arguments":
                    children = value;
                    break;
            }
        }
        Assert.NotNull(type);
        var repeat = type switch
        {
            "oneof" => string.Join('|', children!.Items.Select(CliArgument)),
            "block" => string.Join(' ', children!.Items.Select(CliArgument)),
            "pure-token" => "",
            _ => name!,
        };
        var tokenPart = token is null ? "" : type == "pure-token" ? token : token + " ";
        var text = (optional ? "[" : "") + tokenPart + repeat;
        if (multiple) { text += " [" + (multipleToken ? tokenPart : "") + repeat + " ...]"; }
        return text + (optional ? "]" : "");
    }

    private static RespValue Field(RespValue map, string key)
    {
        for (var i = 0; i < map.Items.Count; i += 2)
        {
            if (map.Items[i].AsString() == key) { return map.Items[i + 1]; }
        }
        throw new KeyNotFoundException(key);
    }

    [Fact]
    public void DocsUnknown_Omitted()
    {
        Assert.Equal("*0\r\n", Run(2, "COMMAND", "DOCS", "nosuch"));
        Assert.Equal("%0\r\n", Run(3, "COMMAND", "DOCS", "nosuch"));
        Assert.Equal(["get"], Parse(Run(3, "COMMAND", "DOCS", "nosuch", "get")).Items.Where((_, i) => i % 2 == 0).Select(v => v.AsString()));
    }

    [Fact]
    public void DocsSubcommand_ByBarName() =>
        Assert.StartsWith("*2\r\n$14\r\nclient|setname\r\n", Run(2, "COMMAND", "DOCS", "client|setname"), StringComparison.Ordinal);

    [Fact]
    public void InfoUnknown_Nil()
    {
        Assert.Equal("*2\r\n$-1\r\n$-1\r\n", Run(2, "COMMAND", "INFO", "nosuch", "get|x"));
        Assert.Equal("*1\r\n_\r\n", Run(3, "COMMAND", "INFO", "nosuch"));
    }

    [Fact]
    public void InfoContainer_SubcommandsAsArrayOfInfos()
    {
        var client = Parse(Run(3, "COMMAND", "INFO", "client")).Items[0];

        Assert.Equal(10, client.Items.Count);
        Assert.Equal(RespType.Array, client.Items[9].Type);
        Assert.Contains("client|setname", client.Items[9].Items.Select(s => s.Items[0].AsString()));
        Assert.All(client.Items[9].Items, s => Assert.Equal(10, s.Items.Count));
    }

    [Fact]
    public void CommandAlone_EveryInfo()
    {
        var all = Parse(Run(2, "COMMAND"));

        Assert.Equal(CommandCatalog.For(CommandRoles.Node).Count, all.Items.Count);
        Assert.All(all.Items, c => Assert.Equal(10, c.Items.Count));
        Assert.Equal(all.Items.Count, Parse(Run(2, "COMMAND", "INFO")).Items.Count);
    }

    [Theory]
    [InlineData(CommandRoles.Node)]
    [InlineData(CommandRoles.Coordinator)]
    public void Count_TopLevelCommandsOfTheRole(CommandRoles role) =>
        Assert.Equal($":{CommandCatalog.For(role).Count}\r\n", Run(role, 2, "COMMAND", "COUNT"));

    [Fact]
    public void List_IncludesSubcommandsAfterTheirContainer()
    {
        var names = Parse(Run(2, "COMMAND", "LIST")).Items.Select(v => v.AsString()).ToList();

        Assert.Contains("get", names);
        Assert.Equal(names.IndexOf("client") + 1, names.IndexOf("client|setname"));
        Assert.Equal(CommandCatalog.For(CommandRoles.Node).Sum(c => 1 + c.Subcommands.Count), names.Count);
    }

    [Theory]
    [InlineData("PATTERN", "cl*", new[] { "client", "client|setname", "cluster", "cluster|info" })]
    [InlineData("pattern", "*EXPIRE", new[] { "expire", "pexpire" })]
    [InlineData("ACLCAT", "string", new[] { "get", "set", "mget" })]
    public void ListFilterBy_Matches(string by, string argument, string[] someExpected)
    {
        var names = Parse(Run(2, "COMMAND", "LIST", "FILTERBY", by, argument)).Items.Select(v => v.AsString()).ToList();

        Assert.All(someExpected, n => Assert.Contains(n, names));
        Assert.DoesNotContain("ping", names);
    }

    [Theory]
    [InlineData("ACLCAT", "nosuch")]
    [InlineData("MODULE", "any")]
    [InlineData("PATTERN", "zz*")]
    public void ListFilterBy_NothingMatches_EmptyArray(string by, string argument) =>
        Assert.Equal("*0\r\n", Run(2, "COMMAND", "LIST", "FILTERBY", by, argument));

    [Theory]
    [InlineData("FILTERBY", "PATTERN")]
    [InlineData("FILTERBY", "XX", "y")]
    [InlineData("x")]
    public void ListBadOptions_SyntaxError(params string[] options) =>
        Assert.Equal("-ERR syntax error\r\n", Run(2, ["COMMAND", "LIST", .. options]));

    [Theory]
    [InlineData("FOO", "-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n")]
    [InlineData("foo", "-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n")]
    [InlineData("GETKEYS", "-ERR unknown subcommand 'GETKEYS'. Try COMMAND HELP.\r\n")]
    [InlineData("count|x", "-ERR unknown subcommand 'count|x'. Try COMMAND HELP.\r\n")]
    public void UnknownSubcommand_RedisError(string sub, string expected) => Assert.Equal(expected, Run(2, "COMMAND", sub));

    [Theory]
    [InlineData("COUNT", "command|count")]
    [InlineData("help", "command|help")]
    public void SubcommandWrongArity_RedisError(string sub, string fullName) =>
        Assert.Equal($"-ERR wrong number of arguments for '{fullName}' command\r\n", Run(2, "COMMAND", sub, "extra"));

    [Fact]
    public void Help_SimpleStringLinesLikeRedis()
    {
        var help = Parse(Run(2, "COMMAND", "HELP"));

        Assert.All(help.Items, l => Assert.Equal(RespType.SimpleString, l.Type));
        Assert.Equal("COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", help.Items[0].AsString());
        Assert.Equal(["HELP", "    Prints this help."], help.Items.TakeLast(2).Select(l => l.AsString()));
    }
}
