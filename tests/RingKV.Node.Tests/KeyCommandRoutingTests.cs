using RingKV.Node.Commands;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Tests;

/// <summary>
/// The list of routable single-key commands, seen from a client session and from RKV.FWD: every command on it
/// is executed by the primary, accepted in a forward, and checked for arity and syntax before it is routed.
/// </summary>
public sealed class KeyCommandRoutingTests : IAsyncDisposable
{
    private readonly OneNode _node = new();

    /// <summary>A small valid request for each routable command, run with <c>k</c> holding "10".</summary>
    private static string[] MinimalRequest(KeyCommand command) => command.Command switch
    {
        RespCommand.SetEx or RespCommand.PSetEx => [command.ToString(), "k", "100", "v"],
        RespCommand.GetRange or RespCommand.SetRange => [command.ToString(), "k", "0", "1"],
        RespCommand.Rename or RespCommand.RenameNx => [command.ToString(), "k", "k"],
        _ when command.Arity is -3 or 3 => [command.ToString(), "k", "10"],
        _ => [command.ToString(), "k"],
    };

    [Fact]
    public async Task EveryListedCommand_IsExecutedByThePrimary()
    {
        foreach (var command in KeyCommands.All)
        {
            await _node.Run("SET", "k", "10");
            var reply = await _node.Run(MinimalRequest(command));
            Assert.False(reply.IsError, $"{command}: {System.Text.Encoding.UTF8.GetString(reply.Bytes ?? [])}");
        }
    }

    [Fact]
    public async Task EveryListedCommand_IsAcceptedThroughRkvFwd()
    {
        foreach (var command in KeyCommands.All)
        {
            await _node.Run("SET", "k", "10");
            var reply = await _node.Session(["RKV.FWD", "QUORUM", "QUORUM", .. MinimalRequest(command)]);
            Assert.False(reply.StartsWith('-'), $"{command}: {reply}");
        }
    }

    [Fact]
    public void TheNewCommands_AreListed()
    {
        RespCommand[] expected =
        [
            RespCommand.Get, RespCommand.Set, RespCommand.Del, RespCommand.Exists, RespCommand.GetDel, RespCommand.GetEx,
            RespCommand.Expire, RespCommand.PExpire, RespCommand.ExpireAt, RespCommand.PExpireAt,
            RespCommand.Ttl, RespCommand.PTtl, RespCommand.ExpireTime, RespCommand.PExpireTime, RespCommand.Persist,
            RespCommand.GetSet, RespCommand.SetNx, RespCommand.SetEx, RespCommand.PSetEx, RespCommand.GetRange,
            RespCommand.SetRange, RespCommand.Append, RespCommand.StrLen, RespCommand.Incr, RespCommand.Decr,
            RespCommand.IncrBy, RespCommand.DecrBy, RespCommand.IncrByFloat, RespCommand.MSetNx, RespCommand.Rename,
            RespCommand.RenameNx,
        ];
        Assert.Equal(expected.Order(), KeyCommands.All.Select(c => c.Command).Order());
    }

    [Fact]
    public async Task Forwarded_ExpiryCommands_AnswerAsAtThePrimary()
    {
        await _node.Run("SET", "k", "v");
        Assert.Equal(":1\r\n", await _node.Session("RKV.FWD", "QUORUM", "QUORUM", "EXPIRE", "k", "10"));
        Assert.Equal(":10\r\n", await _node.Session("RKV.FWD", "ONE", "ONE", "TTL", "k"));
        Assert.Equal("$1\r\nv\r\n", await _node.Session("RKV.FWD", "QUORUM", "QUORUM", "GETEX", "k", "PERSIST"));
        Assert.Equal(":-1\r\n", await _node.Session("RKV.FWD", "QUORUM", "QUORUM", "PTTL", "k"));
        Assert.Equal("$1\r\nv\r\n", await _node.Session("RKV.FWD", "QUORUM", "QUORUM", "GETDEL", "k"));
        Assert.Equal(":-2\r\n", await _node.Session("RKV.FWD", "QUORUM", "QUORUM", "EXPIRETIME", "k"));
    }

    [Theory]
    [InlineData("-ERR wrong number of arguments for 'ttl' command\r\n", "TTL", "k", "extra")]
    [InlineData("-ERR wrong number of arguments for 'expire' command\r\n", "EXPIRE", "k")]
    public async Task Forwarded_WithWrongArity_NamesTheCarriedCommand(string expected, params string[] request) =>
        Assert.Equal(expected, await _node.Session(["RKV.FWD", "QUORUM", "QUORUM", .. request]));

    [Fact]
    public async Task Forwarded_NonKeyCommand_IsRefused() =>
        Assert.Equal("-ERR RKV.FWD carries only single-key commands\r\n", await _node.Session("RKV.FWD", "QUORUM", "QUORUM", "MGET", "k"));

    [Theory]
    [InlineData("expire", "EXPIRE", "k")]
    [InlineData("pexpire", "pexpire", "k")]
    [InlineData("expireat", "ExpireAt")]
    [InlineData("pexpireat", "PEXPIREAT", "k")]
    [InlineData("ttl", "TTL")]
    [InlineData("pttl", "PTTL", "a", "b")]
    [InlineData("expiretime", "EXPIRETIME")]
    [InlineData("pexpiretime", "PEXPIRETIME", "a", "b")]
    [InlineData("persist", "PERSIST")]
    [InlineData("getdel", "GETDEL", "a", "b")]
    [InlineData("getex", "GETEX")]
    [InlineData("get", "GET", "a", "b")]
    [InlineData("set", "SET", "k")]
    public async Task Session_WrongArity_GivesRedisError(string name, params string[] request) =>
        Assert.Equal($"-ERR wrong number of arguments for '{name}' command\r\n", await _node.Session(request));

    [Fact]
    public async Task Session_RunsTheNewCommandsEndToEnd()
    {
        Assert.Equal("+OK\r\n", await _node.Session("PUT", "k", "v"));
        Assert.Equal(":1\r\n", await _node.Session("expire", "k", "100", "nx"));
        Assert.Equal(":100\r\n", await _node.Session("ttl", "k"));
        Assert.Equal("$1\r\nv\r\n", await _node.Session("GETEX", "k", "EX", "5"));
        Assert.Equal(":5000\r\n", await _node.Session("PTTL", "k"));
        Assert.Equal(":1\r\n", await _node.Session("PERSIST", "k"));
        Assert.Equal("$1\r\nv\r\n", await _node.Session("GETDEL", "k"));
        Assert.Equal("$-1\r\n", await _node.Session("GETDEL", "k"));
        Assert.Equal(":0\r\n", await _node.Session("EXISTS", "k"));
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
