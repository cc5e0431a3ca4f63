using RingKV.Protocol.Commands;

namespace RingKV.Protocol.Tests;

public class CommandSyntaxTests
{
    private const string SetLine =
        "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]";

    private static CommandArgument Value(string name, CommandArgumentType type, string? token = null,
        CommandArgumentFlags flags = CommandArgumentFlags.None, int keySpec = -1) =>
        new() { Name = name, Type = type, Token = token, Flags = flags, KeySpecIndex = keySpec };

    private static CommandArgument Pure(string token, CommandArgumentFlags flags = CommandArgumentFlags.None) =>
        new() { Name = token.ToLowerInvariant(), Type = CommandArgumentType.PureToken, Token = token, Flags = flags };

    private static void AssertTree(IReadOnlyList<CommandArgument> expected, IReadOnlyList<CommandArgument> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(Fields(expected[i]), Fields(actual[i]));
            AssertTree(expected[i].Arguments, actual[i].Arguments);
        }
    }

    private static (string, CommandArgumentType, string?, CommandArgumentFlags, int) Fields(CommandArgument a) =>
        (a.Name, a.Type, a.Token, a.Flags, a.KeySpecIndex);

    [Fact]
    public void Parse_Set_BuildsRedisArgumentTree()
    {
        var expected = new[]
        {
            Value("key", CommandArgumentType.Key, keySpec: 0),
            Value("value", CommandArgumentType.String),
            new CommandArgument
            {
                Name = "nx-xx", Type = CommandArgumentType.OneOf, Flags = CommandArgumentFlags.Optional,
                Arguments = [Pure("NX"), Pure("XX")],
            },
            Pure("GET", CommandArgumentFlags.Optional),
            new CommandArgument
            {
                Name = "choice", Type = CommandArgumentType.OneOf,
                Flags = CommandArgumentFlags.Optional,
                Arguments =
                [
                    Value("seconds", CommandArgumentType.Integer, "EX"),
                    Value("milliseconds", CommandArgumentType.Integer, "PX"),
                    Value("unix-time-seconds", CommandArgumentType.UnixTime, "EXAT"),
                    Value("unix-time-milliseconds", CommandArgumentType.UnixTime, "PXAT"),
                    Pure("KEEPTTL"),
                ],
            },
        };

        AssertTree(expected, CommandSyntax.Parse(SetLine, keySpecCount: 1));
    }

    [Fact]
    public void Parse_KeyRepeated_MultipleKey()
    {
        var parsed = CommandSyntax.Parse("key [key ...]", keySpecCount: 1);

        AssertTree([Value("key", CommandArgumentType.Key, flags: CommandArgumentFlags.Multiple, keySpec: 0)], parsed);
    }

    [Fact]
    public void Parse_PairsRepeated_MultipleBlock()
    {
        var parsed = CommandSyntax.Parse("key value [key value ...]", keySpecCount: 1);

        AssertTree(
        [
            new CommandArgument
            {
                Name = "key-value", Type = CommandArgumentType.Block, Flags = CommandArgumentFlags.Multiple,
                Arguments = [Value("key", CommandArgumentType.Key, keySpec: 0), Value("value", CommandArgumentType.String)],
            },
        ], parsed);
    }

    [Fact]
    public void Parse_OptionalRepeatedValueAfterToken_OptionalMultipleWithToken()
    {
        var parsed = CommandSyntax.Parse("[ID client-id [client-id ...]]");

        AssertTree([Value("client-id", CommandArgumentType.Integer, "ID", CommandArgumentFlags.Optional | CommandArgumentFlags.Multiple)], parsed);
    }

    [Fact]
    public void Parse_TokenRepeatedWithValue_MultipleToken()
    {
        var parsed = CommandSyntax.Parse("[PREFIX prefix [PREFIX prefix ...]]");

        AssertTree(
        [
            Value("prefix", CommandArgumentType.String, "PREFIX",
                CommandArgumentFlags.Optional | CommandArgumentFlags.Multiple | CommandArgumentFlags.MultipleToken),
        ], parsed);
    }

    [Fact]
    public void Parse_TokenBeforeParenthesisedChoice_TokenOnOneOf()
    {
        var parsed = CommandSyntax.Parse("[FILTERBY (MODULE module-name|ACLCAT category|PATTERN pattern)]");

        var filter = Assert.Single(parsed);
        Assert.Equal((CommandArgumentType.OneOf, "FILTERBY", CommandArgumentFlags.Optional), (filter.Type, filter.Token, filter.Flags));
        AssertTree(
        [
            Value("module-name", CommandArgumentType.String, "MODULE"),
            Value("category", CommandArgumentType.String, "ACLCAT"),
            Value("pattern", CommandArgumentType.Pattern, "PATTERN"),
        ], filter.Arguments);
    }

    [Fact]
    public void Parse_TokenWithTwoValues_BlockWithToken()
    {
        var parsed = CommandSyntax.Parse("[protover [AUTH username password] [SETNAME clientname]]");

        var block = Assert.Single(parsed);
        Assert.Equal((CommandArgumentType.Block, CommandArgumentFlags.Optional), (block.Type, block.Flags));
        AssertTree(
        [
            Value("protover", CommandArgumentType.Integer),
            new CommandArgument
            {
                Name = "auth", Type = CommandArgumentType.Block, Token = "AUTH", Flags = CommandArgumentFlags.Optional,
                Arguments = [Value("username", CommandArgumentType.String), Value("password", CommandArgumentType.String)],
            },
            Value("clientname", CommandArgumentType.String, "SETNAME", CommandArgumentFlags.Optional),
        ], block.Arguments);
    }

    [Fact]
    public void Parse_TypeOverride_Wins()
    {
        var parsed = CommandSyntax.Parse("key increment", new Dictionary<string, CommandArgumentType> { ["increment"] = CommandArgumentType.Double }, 1);

        Assert.Equal(CommandArgumentType.Double, parsed[1].Type);
    }

    [Fact]
    public void Parse_SecondKey_GetsSecondKeySpec()
    {
        var parsed = CommandSyntax.Parse("key newkey", keySpecCount: 2);

        Assert.Equal([0, 1], parsed.Select(a => a.KeySpecIndex));
    }

    [Fact]
    public void Parse_Empty_NoArguments() => Assert.Empty(CommandSyntax.Parse(""));

    [Theory]
    [InlineData("[key")]
    [InlineData("key]")]
    [InlineData("(a|b")]
    [InlineData("a||b")]
    [InlineData("[]")]
    [InlineData("[other ...]")]
    [InlineData("a [b ...]")]
    [InlineData("a ...")]
    public void Parse_Malformed_Throws(string line) => Assert.Throws<FormatException>(() => CommandSyntax.Parse(line));

    [Fact]
    public void Parse_KeyWithoutKeySpec_Throws() => Assert.Throws<FormatException>(() => CommandSyntax.Parse("key", keySpecCount: 0));

    // The hints redis-cli 7.0 shows for these commands against redis-server 7.0 (rendered from its COMMAND DOCS).
    [Theory]
    [InlineData(SetLine, SetLine)]
    [InlineData("key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]",
        "key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]")]
    [InlineData("cursor [MATCH pattern] [COUNT count] [TYPE type]", "cursor [MATCH pattern] [COUNT count] [TYPE type]")]
    [InlineData("[protover [AUTH username password] [SETNAME clientname]]", "[protover [AUTH username password] [SETNAME clientname]]")]
    [InlineData("[TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID client-id [client-id ...]]",
        "[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]")]
    [InlineData("[FILTERBY (MODULE module-name|ACLCAT category|PATTERN pattern)]",
        "[FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]")]
    [InlineData("parameter value [parameter value ...]", "parameter value [parameter value ...]")]
    [InlineData("[command-name [command-name ...]]", "[command-name [command-name ...]]")]
    [InlineData("key seconds [NX|XX|GT|LT]", "key seconds [NX|XX|GT|LT]")]
    public void Render_Parsed_AsRedisCliShowsIt(string line, string hint) =>
        Assert.Equal(hint, CommandSyntax.Render(CommandSyntax.Parse(line, keySpecCount: 1)));
}
