using System.Text;
using RingKV.Protocol.Commands;

namespace RingKV.Protocol.Tests;

public class CommandCatalogTests
{
    private static readonly string[] s_nodeCommands =
    [
        "get", "set", "getset", "getdel", "getex", "getrange", "setrange", "append", "strlen", "setnx", "setex", "psetex",
        "mset", "msetnx", "mget", "incr", "decr", "incrby", "decrby", "incrbyfloat", "del", "unlink", "exists", "type",
        "rename", "renamenx", "keys", "scan", "randomkey", "dbsize", "flushall", "flushdb", "touch", "object", "expire",
        "pexpire", "expireat", "pexpireat", "ttl", "pttl", "expiretime", "pexpiretime", "persist", "ping", "echo", "quit",
        "auth", "hello", "select", "client", "command", "config", "info", "time", "lolwut", "cluster", "consistency",
        "repair", "put", "delete", "list_nodes", "get_nodes_for_key", "cluster_map",
    ];

    private static IEnumerable<CommandSpec> WithSubcommands(CommandRoles role) =>
        CommandCatalog.For(role).SelectMany(c => c.Subcommands.Prepend(c));

    [Fact]
    public void Node_AdvertisesExactlyTheServedCommands() =>
        Assert.Equal(s_nodeCommands.Order(), CommandCatalog.For(CommandRoles.Node).Select(c => c.Name).Order());

    [Fact]
    public void Coordinator_AdvertisesConnectionCommandsAndItsOwn() =>
        Assert.Equal(
            ["auth", "client", "cluster_map", "command", "config", "coordinators", "decommission", "echo", "get_nodes_for_key", "hello",
             "info", "list_nodes", "ping", "quit", "rebalance", "select", "time"],
            CommandCatalog.For(CommandRoles.Coordinator).Select(c => c.Name).Order());

    // The catalog must not advertise what the command table cannot dispatch: redis-cli would offer hints for a
    // command the server then calls unknown.
    [Theory]
    [InlineData(CommandRoles.Node)]
    [InlineData(CommandRoles.Coordinator)]
    public void EveryAdvertisedName_KnownToCommandTable(CommandRoles role) =>
        Assert.All(CommandCatalog.For(role), c =>
            Assert.True(CommandTable.Lookup(Encoding.ASCII.GetBytes(c.Name)) != RespCommand.Unknown,
                $"{c.Name} is in the {role} catalog but CommandTable.Lookup does not know it"));

    [Fact]
    public void InternalCommands_NotAdvertised()
    {
        var names = CommandCatalog.All.Select(c => c.Name).ToArray();

        Assert.DoesNotContain(names, n => n.StartsWith("rkv.", StringComparison.Ordinal));
        Assert.Empty(names.Intersect(["register_node", "unregister_node", "heartbeat", "slots_synced"]));
    }

    [Theory]
    [InlineData("get", 2, 1, 1, 1)]
    [InlineData("set", -3, 1, 1, 1)]
    [InlineData("mset", -3, 1, -1, 2)]
    [InlineData("mget", -2, 1, -1, 1)]
    [InlineData("del", -2, 1, -1, 1)]
    [InlineData("rename", 3, 1, 2, 1)]
    [InlineData("keys", 2, 0, 0, 0)]
    [InlineData("ping", -1, 0, 0, 0)]
    [InlineData("object|encoding", 3, 2, 2, 1)]
    [InlineData("client|setname", 3, 0, 0, 0)]
    public void ArityAndKeyPositions_AsRedis(string name, int arity, int first, int last, int step)
    {
        var spec = CommandCatalog.Find(CommandRoles.Node, name);

        Assert.NotNull(spec);
        Assert.Equal((arity, first, last, step), (spec.Arity, spec.FirstKey, spec.LastKey, spec.KeyStep));
    }

    [Fact]
    public void Rename_OneKeySpecPerKey()
    {
        var rename = CommandCatalog.Find(CommandRoles.Node, "rename")!;

        Assert.Equal([(1, 0, 1, "RW access delete"), (2, 0, 1, "OW update")],
            rename.KeySpecs.Select(k => (k.BeginIndex, k.LastKey, k.KeyStep, string.Join(' ', k.Flags))));
    }

    [Fact]
    public void Mset_OneRangeKeySpec()
    {
        var spec = Assert.Single(CommandCatalog.Find(CommandRoles.Node, "mset")!.KeySpecs);

        Assert.Equal((1, -1, 2), (spec.BeginIndex, spec.LastKey, spec.KeyStep));
    }

    [Fact]
    public void FlagsAndCategories_InRedisOrder()
    {
        var set = CommandCatalog.Find(CommandRoles.Node, "set")!;

        Assert.Equal(["write", "denyoom"], set.Flags);
        Assert.Equal(["@write", "@string", "@slow"], set.AclCategories);
    }

    [Theory]
    [InlineData("CLIENT|SETNAME", "client|setname")]
    [InlineData("Get", "get")]
    [InlineData("command|docs", "command|docs")]
    public void Find_AnyCase(string asked, string expected) => Assert.Equal(expected, CommandCatalog.Find(CommandRoles.Node, asked)?.Name);

    [Theory]
    [InlineData(CommandRoles.Node, "decommission")]
    [InlineData(CommandRoles.Coordinator, "get")]
    [InlineData(CommandRoles.Coordinator, "cluster")]
    [InlineData(CommandRoles.Node, "nosuch")]
    [InlineData(CommandRoles.Node, "get|x")]
    public void Find_NotServedByRole_Null(CommandRoles role, string name) => Assert.Null(CommandCatalog.Find(role, name));

    [Fact]
    public void Subcommands_NamedContainerBarSub() =>
        Assert.All(CommandCatalog.All.Where(c => c.Subcommands.Count > 0), c =>
            Assert.All(c.Subcommands, s => Assert.StartsWith(c.Name + "|", s.Name, StringComparison.Ordinal)));

    [Theory]
    [InlineData(CommandRoles.Node)]
    [InlineData(CommandRoles.Coordinator)]
    public void EveryEntry_HasWhatRedisCliPrints(CommandRoles role) =>
        Assert.All(WithSubcommands(role), c =>
        {
            Assert.False(string.IsNullOrEmpty(c.Summary), $"{c.Name}: summary");
            Assert.False(string.IsNullOrEmpty(c.Since), $"{c.Name}: since");
            Assert.Contains(c.Group, new[] { "string", "generic", "connection", "server", "cluster" });
            Assert.NotEqual(0, c.Arity);
            Assert.NotEmpty(c.AclCategories);
        });

    // The argument tree, rendered the way redis-cli renders hints, gives back the catalog's syntax line: what a user
    // reads in HELP is what we wrote (minus the grouping parentheses, which redis-cli has no way to show).
    [Fact]
    public void EverySyntaxLine_RoundTripsThroughTheTree() =>
        Assert.All(CommandCatalog.All.SelectMany(c => c.Subcommands.Prepend(c)), c =>
            Assert.Equal(c.Syntax.Replace("(", "").Replace(")", ""), CommandSyntax.Render(c.Arguments)));

    [Fact]
    public void IncrByFloat_IncrementIsDouble() =>
        Assert.Equal(CommandArgumentType.Double, CommandCatalog.Find(CommandRoles.Node, "incrbyfloat")!.Arguments[1].Type);

    [Fact]
    public void Create_UnknownFlag_Throws() =>
        Assert.Throws<ArgumentException>(() => CommandSpec.Create("x", 1, "writes", "@slow", "server", "1.0.0", "O(1)", "x"));

    [Fact]
    public void Create_UnknownCategory_Throws() =>
        Assert.Throws<ArgumentException>(() => CommandSpec.Create("x", 1, "write", "@nosuch", "server", "1.0.0", "O(1)", "x"));

    [Theory]
    [InlineData("1 1 RO")]
    [InlineData("0 0 1 RO")]
    [InlineData("2 1 1 RO")]
    [InlineData("1 1 1 XX")]
    public void Create_BadKeys_Throws(string keys) =>
        Assert.Throws<ArgumentException>(() => CommandSpec.Create("x", 2, "readonly", "@read", "string", "1.0.0", "O(1)", "x", "key", keys));
}
