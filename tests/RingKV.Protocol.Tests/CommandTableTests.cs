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
            CommandTable.UnknownCommandError(RespRequest.FromStrings("foo", "a")));

    [Fact]
    public void UnknownCommandError_NoArguments_EndsAfterColon() =>
        Assert.Equal("ERR unknown command 'foo', with args beginning with: ",
            CommandTable.UnknownCommandError(RespRequest.FromStrings("foo")));

    [Fact]
    public void UnknownCommandError_LongName_TruncatedTo128() =>
        Assert.Equal($"ERR unknown command '{new string('x', 128)}', with args beginning with: ",
            CommandTable.UnknownCommandError(RespRequest.FromStrings(new string('x', 300))));

    [Theory]
    [InlineData("GET")]
    [InlineData("get")]
    [InlineData("GeT")]
    public void WrongArityError_LowerCaseNameLikeRedis(string name) =>
        Assert.Equal("ERR wrong number of arguments for 'get' command", CommandTable.WrongArityError(RespRequest.FromStrings(name)));

    [Theory]
    [InlineData("PEXPIREAT", "pexpireat")]
    [InlineData("GetEx", "getex")]
    public void WrongArityError_NewCommands(string name, string expected) =>
        Assert.Equal($"ERR wrong number of arguments for '{expected}' command", CommandTable.WrongArityError(RespRequest.FromStrings(name)));
}
