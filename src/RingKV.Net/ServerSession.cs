using System.Net;
using System.Text;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Net;

/// <summary>
/// Connection-level commands every RingKV role answers the same way (PING, ECHO, QUIT, AUTH, HELLO, SELECT, CLIENT,
/// COMMAND, CONFIG, INFO, TIME): what redis-cli, redis-benchmark and client libraries send on connect, with
/// Redis 7.0's replies and error texts. Roles derive from this and pass every command through
/// <see cref="TryExecuteConnectionCommand"/> first.
/// </summary>
/// <remarks>Split by concern: <c>.Client.cs</c>, <c>.Config.cs</c>, <c>.Auth.cs</c>, <c>.Info.cs</c>.</remarks>
public abstract partial class ServerSession(EndPoint? remoteEndPoint) : RespSession(remoteEndPoint)
{
    /// <summary>Name reported in HELLO and INFO (<c>ringkv-node</c>, <c>ringkv-coordinator</c>).</summary>
    protected abstract string RoleName { get; }

    /// <summary>
    /// Parameters of CONFIG GET / SET, built by the role (start from <see cref="ConnectionConfig"/>). Read on every
    /// CONFIG command; build it once per session or share it, not per call.
    /// </summary>
    protected abstract ConfigTable ConfigParameters { get; }

    /// <summary>Writes the INFO text (the bulk string body) for <paramref name="section"/> (null = default sections).</summary>
    protected abstract void AppendInfo(StringBuilder info, string? section);

    /// <summary>
    /// Which <see cref="CommandCatalog"/> entries COMMAND, COMMAND INFO and COMMAND DOCS describe (and so what
    /// redis-cli offers as hints): exactly one role, the one whose commands this session serves.
    /// </summary>
    protected abstract CommandRoles AdvertisedCommands { get; }

    /// <summary>
    /// Handles a connection-level command; returns false when <paramref name="command"/> is not one. Roles call it
    /// first for every request (it also records the command for CLIENT LIST, allocation-free).
    /// </summary>
    protected bool TryExecuteConnectionCommand(RespCommand command, RespRequest request)
    {
        RecordCommand(command);
        if (!Admit(command))
        {
            return true; // refused: the refusal is the reply
        }
        switch (command)
        {
            case RespCommand.Ping:
                if (request.Count > 2) { WrongArity(request); }
                else if (request.Count == 2) { Writer.WriteBulkString(request[1]); }
                else { Writer.WriteSimpleString("PONG"u8); }
                return true;
            case RespCommand.Echo:
                if (request.Count != 2) { WrongArity(request); }
                else { Writer.WriteBulkString(request[1]); }
                return true;
            case RespCommand.Quit:
                Writer.WriteOk();
                CloseRequested = true;
                return true;
            case RespCommand.Select:
                // One database, as a Redis started with --databases 1: the index is parsed as Redis parses it first.
                if (request.Count != 2) { WrongArity(request); }
                else if (!RedisInteger.TryParse(request[1], out var db)) { Writer.WriteError("ERR value is not an integer or out of range"u8); }
                // Redis' getIntFromObjectOrReply wording (its typo included); found by the differential fuzzer.
                else if (db is < int.MinValue or > int.MaxValue) { Writer.WriteError("ERR value is out of range, value must between -2147483648 and 2147483647"u8); }
                else if (db == 0) { Writer.WriteOk(); }
                else { Writer.WriteError("ERR DB index is out of range"u8); }
                return true;
            case RespCommand.Auth:
                Auth(request);
                return true;
            case RespCommand.Hello:
                Hello(request);
                return true;
            case RespCommand.Client:
                Client(request);
                return true;
            case RespCommand.Command:
                RecordContainerSubcommand("command", request);
                CommandInfo(request);
                return true;
            case RespCommand.Config:
                Config(request);
                return true;
            case RespCommand.Time:
                var now = DateTimeOffset.UtcNow;
                Writer.WriteArrayHeader(2);
                Writer.WriteBulkString(now.ToUnixTimeSeconds().ToString());
                Writer.WriteBulkString((now.ToUnixTimeMilliseconds() % 1000 * 1000).ToString());
                return true;
            case RespCommand.Info:
                var info = new StringBuilder();
                if (request.Count == 1)
                {
                    AppendInfo(info, null);
                }
                // Redis 7 takes several sections at once (INFO server clients); each is written once.
                foreach (var section in Enumerable.Range(1, request.Count - 1).Select(i => request.GetString(i).ToLowerInvariant()).Distinct())
                {
                    AppendInfo(info, section);
                }
                WriteVerbatim(info.ToString().Replace("\n", "\r\n"));
                return true;
            case RespCommand.Cluster:
                // Roles answer CLUSTER themselves; recorded here so CLIENT LIST shows "cluster|slots" like Redis.
                RecordContainerSubcommand("cluster", request);
                return false;
            default:
                return false;
        }
    }

    protected void WrongArity(RespRequest request) => Writer.WriteError(CommandTable.WrongArityError(request));

    private void CommandInfo(RespRequest request) => CommandIntrospection.Execute(request, Writer, AdvertisedCommands, Limits.Protocol);
}
