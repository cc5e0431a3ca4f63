using System.Text;

namespace RingKV.IntegrationTests.Differential;

/// <summary>The sequence files' quoting reads like redis-cli's.</summary>
public sealed class CommandLineParserTests
{
    [Theory]
    [InlineData("SET k v", new[] { "SET", "k", "v" })]
    [InlineData("  GET   {user}a  ", new[] { "GET", "{user}a" })]
    [InlineData("SET k \"a b\"", new[] { "SET", "k", "a b" })]
    [InlineData("SET k \"\"", new[] { "SET", "k", "" })]
    [InlineData("SET k \"\\x00\\r\\n\\xff\\\"\\\\\"", new[] { "SET", "k", "\0\r\n\xff\"\\" })]
    [InlineData("SET k 'it\\'s \\x00'", new[] { "SET", "k", "it's \\x00" })]
    [InlineData("KEYS \"a\\\\*b\"", new[] { "KEYS", "a\\*b" })]
    [InlineData("SET k <3*ab>", new[] { "SET", "k", "ababab" })]
    [InlineData("SET k \"<3*ab>\"", new[] { "SET", "k", "<3*ab>" })]
    public void Split_QuotedAndBareArguments_AreRedisCliArguments(string line, string[] expected)
    {
        Assert.Equal(expected, CommandLineParser.Split(line).Select(Encoding.Latin1.GetString));
    }

    [Theory]
    [InlineData("SET k \"open")]
    [InlineData("SET k 'open")]
    [InlineData("SET k \"a\"b")]
    public void Split_MalformedQuoting_Throws(string line)
    {
        Assert.Throws<FormatException>(() => CommandLineParser.Split(line));
    }

    [Fact]
    public void Render_OfParsedCommand_ParsesBackToTheSameBytes()
    {
        var command = new RedisCommand(CommandLineParser.Split("SET \"bin\\x00key\" \"a \\\"q\\\" \\r\\n\\x7f\" EX 10"));
        Assert.Equal(command.Arguments, CommandLineParser.Split(command.ToString()));
    }
}
