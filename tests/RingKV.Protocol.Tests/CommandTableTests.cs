using System.Text;
using RingKV.Protocol.Commands;

namespace RingKV.Protocol.Tests;

public class CommandTableTests
{
    private static RespCommand Lookup(string name) => CommandTable.Lookup(Encoding.UTF8.GetBytes(name));

    [Theory]
    [InlineData("get")]
    [InlineData("GET")]
    [InlineData("GeT")]
    public void Lookup_AnyCase_Found(string name) => Assert.Equal(RespCommand.Get, Lookup(name));

    [Theory]
    [InlineData("PUT", RespCommand.Set)]
    [InlineData("put", RespCommand.Set)]
    [InlineData("SET", RespCommand.Set)]
    [InlineData("DELETE", RespCommand.Del)]
    [InlineData("delete", RespCommand.Del)]
    [InlineData("DEL", RespCommand.Del)]
    [InlineData("list_nodes", RespCommand.ListNodes)]
    [InlineData("GET_NODES_FOR_KEY", RespCommand.GetNodesForKey)]
    [InlineData("rkv.fwd", RespCommand.Forward)]
    [InlineData("GETDEL", RespCommand.GetDel)]
    [InlineData("getex", RespCommand.GetEx)]
    [InlineData("EXPIRE", RespCommand.Expire)]
    [InlineData("pexpire", RespCommand.PExpire)]
    [InlineData("ExpireAt", RespCommand.ExpireAt)]
    [InlineData("PEXPIREAT", RespCommand.PExpireAt)]
    [InlineData("ttl", RespCommand.Ttl)]
    [InlineData("PTTL", RespCommand.PTtl)]
    [InlineData("EXPIRETIME", RespCommand.ExpireTime)]
    [InlineData("pexpiretime", RespCommand.PExpireTime)]
    [InlineData("Persist", RespCommand.Persist)]
    public void Lookup_Name_MapsToCommand(string name, RespCommand expected) => Assert.Equal(expected, Lookup(name));

    [Theory]
    [InlineData("foo")]
    [InlineData("")]
    [InlineData("GE")]
    [InlineData("GETX")]
    [InlineData("GET ")]
    [InlineData("GÉT")]
    [InlineData("GET_NODES_FOR_KEY_GET_NODES_FOR_KEY")] // longer than any name
    [InlineData("EXPIRES")]
    [InlineData("GETE")]
    [InlineData("PTTLX")]
    public void Lookup_UnknownName_Unknown(string name) => Assert.Equal(RespCommand.Unknown, Lookup(name));

    [Fact]
    public void Lookup_NonAsciiBytes_Unknown() => Assert.Equal(RespCommand.Unknown, CommandTable.Lookup([0x47, 0xC5, 0x54]));

    [Fact]
    public void Lookup_EveryListedName_Found() =>
        Assert.All(CommandTable.Names, name => Assert.NotEqual(RespCommand.Unknown, Lookup(name.ToLowerInvariant())));

    [Fact]
    public void UnknownCommandError_QuotesArgumentsLikeRedis() =>
        Assert.Equal("ERR unknown command 'foo', with args beginning with: 'a' ",
            UnknownCommandError("foo", "a"));

    [Fact]
    public void UnknownCommandError_NoArguments_EndsAfterColon() =>
        Assert.Equal("ERR unknown command 'foo', with args beginning with: ",
            UnknownCommandError("foo"));

    [Fact]
    public void UnknownCommandError_LongName_TruncatedTo128() =>
        Assert.Equal($"ERR unknown command '{new string('x', 128)}', with args beginning with: ",
            UnknownCommandError(new string('x', 300)));

    // The expected texts are redis-server 7.0.15's replies to the same requests.
    [Fact]
    public void UnknownCommandError_ManyArguments_QuotesUpTo128BytesOfThem() =>
        Assert.Equal("ERR unknown command 'FOO', with args beginning with: " + string.Concat("abcdefghijklmnopqrstuvwxyz".Select(c => $"'{c}' ")) + "'1' '2' '3' '4' '5' '6' ",
            UnknownCommandError(["FOO", .. "abcdefghijklmnopqrstuvwxyz".Select(c => c.ToString()), .. Enumerable.Range(1, 20).Select(i => i.ToString())]));

    [Fact]
    public void UnknownCommandError_LongArguments_LastOneCutToTheRemainder() =>
        Assert.Equal($"ERR unknown command 'FOO', with args beginning with: '{new string('x', 100)}' '{new string('y', 25)}' ",
            UnknownCommandError("FOO", new string('x', 100), new string('y', 100)));

    [Fact]
    public void UnknownCommandError_BinaryAndNul_BytesKeptAndCutAtNul() =>
        Assert.Equal("ERR unknown command '\u00a3FO', with args beginning with: 'a' 'c' ",
            UnknownCommandError("\u00a3FO\0OO", "a\0b", "c"));

    /// <summary>The error for a request of Latin-1 arguments (one byte per char), as Latin-1 text.</summary>
    private static string UnknownCommandError(params string[] args)
    {
        var wire = new StringBuilder($"*{args.Length}\r\n");
        foreach (var arg in args)
        {
            wire.Append($"${arg.Length}\r\n{arg}\r\n");
        }
        var (request, _) = RequestParsing.ParseOne(SequenceVariant.Bytes(wire.ToString()));
        return Encoding.Latin1.GetString(CommandTable.UnknownCommandError(request));
    }
}
