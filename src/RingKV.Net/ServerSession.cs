using System.Net;
using System.Text;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Net;

/// <summary>
/// Connection-level commands every RingKV role answers the same way (PING, ECHO, QUIT, HELLO, SELECT, CLIENT,
/// COMMAND, CONFIG GET, TIME): what redis-cli, redis-benchmark and client libraries send on connect.
/// Roles derive from this and handle their own commands first.
/// </summary>
public abstract class ServerSession(EndPoint? remoteEndPoint) : RespSession(remoteEndPoint)
{
    /// <summary>Name reported in HELLO and INFO (<c>ringkv-node</c>, <c>ringkv-coordinator</c>).</summary>
    protected abstract string RoleName { get; }

    /// <summary>Parameters visible to CONFIG GET, name to value.</summary>
    protected abstract IReadOnlyDictionary<string, string> ConfigParameters { get; }

    /// <summary>Writes the INFO text (the bulk string body) for <paramref name="section"/> (null = default sections).</summary>
    protected abstract void AppendInfo(StringBuilder info, string? section);

    /// <summary>Handles a connection-level command; returns false when <paramref name="command"/> is not one.</summary>
    protected bool TryExecuteConnectionCommand(RespCommand command, RespRequest request)
    {
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
                if (request.Count != 2) { WrongArity(request); }
                else if (request[1].SequenceEqual("0"u8)) { Writer.WriteOk(); }
                else { Writer.WriteError("ERR DB index is out of range"u8); }
                return true;
            case RespCommand.Hello:
                Hello(request);
                return true;
            case RespCommand.Client:
                Client(request);
                return true;
            case RespCommand.Command:
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
                AppendInfo(info, request.Count > 1 ? request.GetString(1).ToLowerInvariant() : null);
                Writer.WriteBulkString(info.ToString().Replace("\n", "\r\n"));
                return true;
            default:
                return false;
        }
    }

    protected void WrongArity(RespRequest request) => Writer.WriteError(CommandTable.WrongArityError(request));

    private void Hello(RespRequest request)
    {
        var version = Writer.ProtocolVersion;
        if (request.Count > 1)
        {
            if (!int.TryParse(request[1], out version))
            {
                Writer.WriteError("ERR Protocol version is not an integer or out of range"u8);
                return;
            }
            if (version is not (2 or 3))
            {
                Writer.WriteError("NOPROTO unsupported protocol version"u8);
                return;
            }
        }
        for (var i = 2; i < request.Count; i++)
        {
            var option = request.GetString(i).ToUpperInvariant();
            if (option == "SETNAME" && i + 1 < request.Count)
            {
                Name = request.GetString(++i);
            }
            else if (option == "AUTH" && i + 2 < request.Count)
            {
                i += 2; // No requirepass yet: any credentials are accepted, as Redis does without a password.
            }
            else
            {
                Writer.WriteError($"ERR Syntax error in HELLO option '{request.GetString(i)}'");
                return;
            }
        }
        Writer.ProtocolVersion = version;
        Writer.WriteMapHeader(7);
        Writer.WriteBulkString("server"u8); Writer.WriteBulkString(RoleName);
        Writer.WriteBulkString("version"u8); Writer.WriteBulkString(ServerInfo.Version);
        Writer.WriteBulkString("proto"u8); Writer.WriteInteger(version);
        Writer.WriteBulkString("id"u8); Writer.WriteInteger(Id);
        Writer.WriteBulkString("mode"u8); Writer.WriteBulkString("standalone"u8);
        Writer.WriteBulkString("role"u8); Writer.WriteBulkString("master"u8);
        Writer.WriteBulkString("modules"u8); Writer.WriteArrayHeader(0);
    }

    private void Client(RespRequest request)
    {
        if (request.Count < 2)
        {
            WrongArity(request);
            return;
        }
        switch (request.GetString(1).ToUpperInvariant())
        {
            case "SETNAME" when request.Count == 3:
                Name = request.GetString(2);
                Writer.WriteOk();
                break;
            case "GETNAME":
                if (Name is null) { Writer.WriteNull(); } else { Writer.WriteBulkString(Name); }
                break;
            case "ID":
                Writer.WriteInteger(Id);
                break;
            case "SETINFO" when request.Count == 4:
                Writer.WriteOk();
                break;
            default:
                Writer.WriteError($"ERR unknown subcommand or wrong number of arguments for '{request.GetString(1)}'. Try CLIENT HELP.");
                break;
        }
    }

    private void CommandInfo(RespRequest request)
    {
        var sub = request.Count > 1 ? request.GetString(1).ToUpperInvariant() : "";
        switch (sub)
        {
            case "COUNT":
                Writer.WriteInteger(CommandTable.Names.Count);
                break;
            case "DOCS":
                // redis-cli asks for docs to show hints; an empty map means "no hints", which it handles.
                Writer.WriteMapHeader(0);
                break;
            default:
                Writer.WriteArrayHeader(0);
                break;
        }
    }

    private void Config(RespRequest request)
    {
        if (request.Count < 2 || !request.GetString(1).Equals("GET", StringComparison.OrdinalIgnoreCase) || request.Count < 3)
        {
            Writer.WriteError("ERR CONFIG supports only GET <parameter> here"u8);
            return;
        }
        var matches = new List<KeyValuePair<string, string>>();
        for (var i = 2; i < request.Count; i++)
        {
            var pattern = request.GetString(i);
            matches.AddRange(ConfigParameters.Where(p => GlobMatches(pattern, p.Key)));
        }
        Writer.WriteMapHeader(matches.Count);
        foreach (var (name, value) in matches)
        {
            Writer.WriteBulkString(name);
            Writer.WriteBulkString(value);
        }
    }

    /// <summary>Glob with <c>*</c> and <c>?</c>, case-insensitive, as CONFIG GET patterns use.</summary>
    private static bool GlobMatches(string pattern, string text)
    {
        if (pattern.Length == 0)
        {
            return text.Length == 0;
        }
        if (pattern[0] == '*')
        {
            for (var i = 0; i <= text.Length; i++)
            {
                if (GlobMatches(pattern[1..], text[i..])) { return true; }
            }
            return false;
        }
        return text.Length > 0
            && (pattern[0] == '?' || char.ToLowerInvariant(pattern[0]) == char.ToLowerInvariant(text[0]))
            && GlobMatches(pattern[1..], text[1..]);
    }
}
