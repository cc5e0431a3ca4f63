using System.Text;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Net;

/// <summary>CLIENT and its subcommands, with Redis 7.0's replies (SETINFO and NO-TOUCH as Redis 7.2 has them).</summary>
public abstract partial class ServerSession
{
    private static readonly string[] s_clientHelp =
    [
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "    * ID <client-id>",
        "      Kill connections by client id.",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "    * ID <client-id> [<client-id> ...]",
        "      Return clients of specified IDs only.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
        "HELP",
        "    Prints this help.",
    ];

    private void Client(RespRequest request)
    {
        if (!TryResolveSubcommand(request, "client", out var subcommand))
        {
            return;
        }
        switch (subcommand)
        {
            case "client|id":
                Writer.WriteInteger(Id);
                break;
            case "client|getname":
                if (Name is null) { Writer.WriteNull(); } else { Writer.WriteBulkString(Name); }
                break;
            case "client|setname":
                if (TrySetName(request[2])) { Writer.WriteOk(); }
                break;
            case "client|setinfo":
                SetInfo(request);
                break;
            case "client|info":
                var line = new StringBuilder();
                AppendClientLine(line, this);
                WriteVerbatim(line.ToString());
                break;
            case "client|list":
                ClientList(request);
                break;
            case "client|kill":
                ClientKill(request);
                break;
            case "client|no-evict" or "client|no-touch":
                // Nothing is evicted and RingKV keeps no LRU clock: both modes are accepted and change nothing.
                if (CommandTable.EqualsIgnoreCase(request[2], "on") || CommandTable.EqualsIgnoreCase(request[2], "off")) { Writer.WriteOk(); }
                else { Writer.WriteError("ERR syntax error"u8); }
                break;
            default:
                WriteHelp(s_clientHelp);
                break;
        }
    }

    /// <summary>Sets <see cref="RespSession.Name"/> or writes Redis' error; an empty name clears it.</summary>
    private bool TrySetName(ReadOnlySpan<byte> name)
    {
        if (!IsPrintableAttribute(name))
        {
            Writer.WriteError("ERR Client names cannot contain spaces, newlines or special characters."u8);
            return false;
        }
        Name = name.Length == 0 ? null : Encoding.ASCII.GetString(name);
        return true;
    }

    private void SetInfo(RespRequest request)
    {
        var attribute = request.GetString(2);
        var isName = attribute.Equals("lib-name", StringComparison.OrdinalIgnoreCase);
        if (!isName && !attribute.Equals("lib-ver", StringComparison.OrdinalIgnoreCase))
        {
            Writer.WriteError($"ERR Unrecognized option '{attribute}'");
            return;
        }
        if (!IsPrintableAttribute(request[3]))
        {
            Writer.WriteError($"ERR {attribute} cannot contain spaces, newlines or special characters.");
            return;
        }
        var value = request[3].Length == 0 ? null : request.GetString(3);
        if (isName) { LibraryName = value; } else { LibraryVersion = value; }
        Writer.WriteOk();
    }

    // Redis' validateClientAttr: printable ASCII without space ('!' through '~').
    private static bool IsPrintableAttribute(ReadOnlySpan<byte> value) => !value.ContainsAnyExceptInRange((byte)'!', (byte)'~');

    private void ClientList(RespRequest request)
    {
        var text = new StringBuilder();
        if (request.Count == 4 && CommandTable.EqualsIgnoreCase(request[2], "type"))
        {
            if (!TryParseClientType(request, 3, out var normal))
            {
                return;
            }
            if (normal) { AppendClientLines(text, Clients()); }
        }
        else if (request.Count > 3 && CommandTable.EqualsIgnoreCase(request[2], "id"))
        {
            var ids = new long[request.Count - 3];
            for (var i = 3; i < request.Count; i++)
            {
                if (!RedisInteger.TryParse(request[i], out ids[i - 3]))
                {
                    Writer.WriteError("ERR Invalid client ID"u8);
                    return;
                }
            }
            var clients = Clients();
            AppendClientLines(text, ids.Select(id => Array.Find(clients, c => c.Id == id)).OfType<RespSession>());
        }
        else if (request.Count != 2)
        {
            Writer.WriteError("ERR syntax error"u8);
            return;
        }
        else
        {
            AppendClientLines(text, Clients());
        }
        WriteVerbatim(text.ToString());
    }

    // CLIENT KILL <addr> (old form: OK or an error, may kill the caller) or CLIENT KILL <filter> <value> ... (new
    // form: the count, SKIPME yes by default). Redis 7.0's killClientCommand, filter by filter.
    private void ClientKill(RespRequest request)
    {
        string? address = null, localAddress = null, user = null;
        long id = 0;
        var skipMe = request.Count != 3;
        var otherType = false;
        if (request.Count == 3)
        {
            address = request.GetString(2);
        }
        else
        {
            for (var i = 2; i < request.Count; i += 2)
            {
                if (i + 1 >= request.Count)
                {
                    Writer.WriteError("ERR syntax error"u8);
                    return;
                }
                var option = request[i];
                if (CommandTable.EqualsIgnoreCase(option, "id"))
                {
                    if (!RedisInteger.TryParse(request[i + 1], out id) || id < 1)
                    {
                        Writer.WriteError("ERR client-id should be greater than 0"u8);
                        return;
                    }
                }
                else if (CommandTable.EqualsIgnoreCase(option, "type"))
                {
                    if (!TryParseClientType(request, i + 1, out var normal))
                    {
                        return;
                    }
                    // Every RingKV connection is a normal client: MASTER, REPLICA and PUBSUB match none.
                    otherType = !normal;
                }
                else if (CommandTable.EqualsIgnoreCase(option, "addr")) { address = request.GetString(i + 1); }
                else if (CommandTable.EqualsIgnoreCase(option, "laddr")) { localAddress = request.GetString(i + 1); }
                else if (CommandTable.EqualsIgnoreCase(option, "user"))
                {
                    user = request.GetString(i + 1);
                    if (!(Server?.Authenticator ?? NoPasswordAuthenticator.Instance).UserExists(user))
                    {
                        Writer.WriteError($"ERR No such user '{user}'");
                        return;
                    }
                }
                else if (CommandTable.EqualsIgnoreCase(option, "skipme"))
                {
                    if (CommandTable.EqualsIgnoreCase(request[i + 1], "yes")) { skipMe = true; }
                    else if (CommandTable.EqualsIgnoreCase(request[i + 1], "no")) { skipMe = false; }
                    else
                    {
                        Writer.WriteError("ERR syntax error"u8);
                        return;
                    }
                }
                else
                {
                    Writer.WriteError("ERR syntax error"u8);
                    return;
                }
            }
        }
        var killed = 0;
        foreach (var client in otherType ? [] : Clients())
        {
            if ((address is not null && client.Address != address) || (localAddress is not null && client.LocalAddress != localAddress)
                || (id != 0 && client.Id != id) || (user is not null && client.User != user) || (client == this && skipMe))
            {
                continue;
            }
            if (client == this)
            {
                // Our own reply must still go out: the server closes us after flushing it.
                CloseRequested = true;
                killed++;
            }
            else if (Server?.Kill(client, this) == true)
            {
                killed++;
            }
        }
        if (request.Count != 3) { Writer.WriteInteger(killed); }
        else if (killed == 0) { Writer.WriteError("ERR No such client"u8); }
        else { Writer.WriteOk(); }
    }

    /// <summary>Parses a client type name; <paramref name="normal"/> tells whether it selects RingKV's (normal) clients.</summary>
    private bool TryParseClientType(RespRequest request, int index, out bool normal)
    {
        var type = request[index];
        normal = CommandTable.EqualsIgnoreCase(type, "normal");
        if (normal || CommandTable.EqualsIgnoreCase(type, "master") || CommandTable.EqualsIgnoreCase(type, "replica")
            || CommandTable.EqualsIgnoreCase(type, "slave") || CommandTable.EqualsIgnoreCase(type, "pubsub"))
        {
            return true;
        }
        Writer.WriteError($"ERR Unknown client type '{request.GetString(index)}'");
        return false;
    }

    /// <summary>Every open session of this server, by id; just this one when the session runs without a server.</summary>
    private RespSession[] Clients() => Server?.Clients.Snapshot() ?? [this];

    private static void AppendClientLines(StringBuilder text, IEnumerable<RespSession> clients)
    {
        foreach (var client in clients)
        {
            AppendClientLine(text, client);
        }
    }

    /// <summary>
    /// One CLIENT LIST / CLIENT INFO line, newline included: Redis 7.0.15's fields in its order, then lib-name and
    /// lib-ver (placed as Redis 7.2 places them) and tot-cmds. Of the buffer and memory fields only omem, the reply
    /// bytes waiting to be sent (what client-output-buffer-limit bounds), is measured; the others are 0.
    /// </summary>
    private static void AppendClientLine(StringBuilder text, RespSession client)
    {
        text.Append("id=").Append(client.Id)
            .Append(" addr=").Append(client.Address)
            .Append(" laddr=").Append(client.LocalAddress)
            .Append(" fd=").Append(client.Id)
            .Append(" name=").Append(client.Name)
            .Append(" age=").Append(client.AgeSeconds)
            .Append(" idle=").Append(client.IdleSeconds)
            .Append(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=")
            .Append(RespServer.ReadBufferSize)
            .Append(" rbp=0 obl=0 oll=0 omem=").Append(client.OutputPending).Append(" tot-mem=0 events=r cmd=").Append(client.LastCommandName)
            .Append(" user=").Append(client.User)
            .Append(" redir=-1 resp=").Append(client.Writer.ProtocolVersion)
            .Append(" lib-name=").Append(client.LibraryName)
            .Append(" lib-ver=").Append(client.LibraryVersion)
            .Append(" tot-cmds=").Append(client.TotalCommands)
            .Append('\n');
    }

    /// <summary>Redis' reply to an unknown subcommand of a container command, quoting it as sent.</summary>
    /// <summary>
    /// The common start of a container command (CLIENT, CONFIG): finds <c>container|sub</c> in the catalog, records
    /// it for CLIENT LIST and checks its arity; false after answering Redis' error for a missing, unknown or
    /// wrongly sized subcommand.
    /// </summary>
    private bool TryResolveSubcommand(RespRequest request, string container, out string subcommand)
    {
        subcommand = "";
        if (request.Count < 2)
        {
            WrongArity(request);
            return false;
        }
        if (!Subcommands.TryFind(container, request[1], out subcommand, out var arity))
        {
            UnknownSubcommand(request, container.ToUpperInvariant());
            return false;
        }
        RecordSubcommand(subcommand);
        if (!Subcommands.ArityAllows(arity, request.Count))
        {
            Writer.WriteError($"ERR wrong number of arguments for '{subcommand}' command");
            return false;
        }
        return true;
    }

    private void UnknownSubcommand(RespRequest request, string container)
    {
        var subcommand = request.GetString(1);
        Writer.WriteError($"ERR unknown subcommand '{(subcommand.Length > 128 ? subcommand[..128] : subcommand)}'. Try {container} HELP.");
    }

    /// <summary>A HELP reply: an array of status lines, as Redis' addReplyHelp writes it.</summary>
    private void WriteHelp(string[] lines)
    {
        Writer.WriteArrayHeader(lines.Length);
        foreach (var line in lines)
        {
            Writer.WriteSimpleString(Encoding.ASCII.GetBytes(line));
        }
    }

    /// <summary>Records CLUSTER or COMMAND's subcommand for CLIENT LIST when it is one Redis has.</summary>
    private void RecordContainerSubcommand(string container, RespRequest request)
    {
        if (request.Count > 1 && Subcommands.TryFind(container, request[1], out var subcommand, out _))
        {
            RecordSubcommand(subcommand);
        }
    }
}
