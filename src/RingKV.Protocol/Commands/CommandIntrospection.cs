using System.Text;

namespace RingKV.Protocol.Commands;

/// <summary>
/// Answers COMMAND and its subcommands (COUNT, LIST, INFO, DOCS, HELP) from <see cref="CommandCatalog"/>, in the reply
/// shapes of Redis 7.0 (server.c <c>addReplyCommandInfo</c>, <c>addReplyCommandDocs</c>, <c>addReplyCommandArgList</c>):
/// RESP3 sets and maps where Redis uses them, flattened to arrays in RESP2 by <see cref="RespWriter"/>.
/// Stateless; call it from the connection's thread with that connection's writer.
/// </summary>
/// <remarks>
/// redis-cli 7 turns the COMMAND DOCS reply into its hints and <c>HELP</c> (redis-cli.c <c>cliInitHelp</c>) and
/// asserts on its shape: map keys, names, types, tokens, summaries and groups must be bulk strings and argument flags
/// simple strings, every argument must have a type, and every command a group. Those are the types written here.
/// </remarks>
public static class CommandIntrospection
{
    private static readonly string[] s_help =
    [
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about every command this server answers.",
        "COUNT",
        "    Return the number of commands this server answers.",
        "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
        "    Return the names of the commands and their subcommands, optionally filtered.",
        "INFO [<command-name> ...]",
        "    Return details about the named commands, or about every command when none is named.",
        "DOCS [<command-name> ...]",
        "    Return the documentation of the named commands, or of every command when none is named.",
        "HELP",
        "    Prints this help.",
    ];

    /// <summary>Writes the reply to <paramref name="request"/> (COMMAND ...) as a server of <paramref name="role"/>.</summary>
    /// <param name="limits">Bounds the FILTERBY PATTERN glob (default: <see cref="RespLimits.Default"/>).</param>
    public static void Execute(RespRequest request, RespWriter writer, CommandRoles role, RespLimits? limits = null)
    {
        var commands = CommandCatalog.For(role);
        if (request.Count == 1)
        {
            WriteInfos(writer, commands);
            return;
        }
        var name = request.GetString(1);
        var sub = name.Contains('|', StringComparison.Ordinal) ? null : CommandCatalog.Find(role, "command|" + name);
        if (sub is null)
        {
            writer.WriteError($"ERR unknown subcommand '{Truncate(name)}'. Try COMMAND HELP.");
            return;
        }
        if (sub.Arity > 0 ? request.Count != sub.Arity : request.Count < -sub.Arity)
        {
            writer.WriteError($"ERR wrong number of arguments for '{sub.Name}' command");
            return;
        }
        switch (sub.Name)
        {
            case "command|count":
                writer.WriteInteger(commands.Count);
                break;
            case "command|list":
                List(request, writer, commands, limits ?? RespLimits.Default);
                break;
            case "command|info" when request.Count == 2:
                WriteInfos(writer, commands);
                break;
            case "command|info":
                writer.WriteArrayHeader(request.Count - 2);
                for (var i = 2; i < request.Count; i++)
                {
                    WriteInfo(writer, CommandCatalog.Find(role, request.GetString(i)));
                }
                break;
            case "command|docs":
                var named = request.Count == 2
                    ? commands
                    : Enumerable.Range(2, request.Count - 2)
                        .Select(i => CommandCatalog.Find(role, request.GetString(i))).OfType<CommandSpec>().ToList();
                writer.WriteMapHeader(named.Count);
                foreach (var command in named)
                {
                    writer.WriteBulkString(command.Name);
                    WriteDocs(writer, command);
                }
                break;
            default:
                writer.WriteArrayHeader(s_help.Length);
                foreach (var line in s_help)
                {
                    writer.WriteSimpleString(Encoding.UTF8.GetBytes(line));
                }
                break;
        }
    }

    /// <summary>COMMAND LIST [FILTERBY MODULE name|ACLCAT category|PATTERN pattern], parsed the way Redis parses it.</summary>
    private static void List(RespRequest request, RespWriter writer, IReadOnlyList<CommandSpec> commands, RespLimits limits)
    {
        Func<CommandSpec, bool> filter = _ => true;
        for (var i = 2; i < request.Count; i++)
        {
            if (!CommandTable.EqualsIgnoreCase(request[i], "FILTERBY") || request.Count - 1 - i != 2)
            {
                writer.WriteError("ERR syntax error"u8);
                return;
            }
            var argument = request.GetString(i + 2);
            var category = "@" + argument;
            switch (request.GetString(i + 1).ToUpperInvariant())
            {
                case "MODULE":
                    filter = _ => false; // RingKV loads no modules.
                    break;
                case "ACLCAT":
                    filter = c => c.AclCategories.Contains(category, StringComparer.OrdinalIgnoreCase);
                    break;
                case "PATTERN":
                    var pattern = request.ToArray(i + 2);
                    if (GlobPattern.CheckLength(pattern, limits.MaxPatternLength) is { } tooLong)
                    {
                        writer.WriteError(tooLong);
                        return;
                    }
                    filter = c => GlobPattern.IsMatch(pattern, Encoding.UTF8.GetBytes(c.Name), ignoreCase: true);
                    break;
                default:
                    writer.WriteError("ERR syntax error"u8);
                    return;
            }
            i += 2;
        }
        var names = commands.SelectMany(c => c.Subcommands.Prepend(c)).Where(filter).Select(c => c.Name).ToList();
        writer.WriteArrayHeader(names.Count);
        foreach (var name in names)
        {
            writer.WriteBulkString(name);
        }
    }

    private static void WriteInfos(RespWriter writer, IReadOnlyList<CommandSpec> commands)
    {
        writer.WriteArrayHeader(commands.Count);
        foreach (var command in commands)
        {
            WriteInfo(writer, command);
        }
    }

    /// <summary>One COMMAND INFO entry: name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands.</summary>
    private static void WriteInfo(RespWriter writer, CommandSpec? command)
    {
        if (command is null)
        {
            writer.WriteNull();
            return;
        }
        writer.WriteArrayHeader(10);
        writer.WriteBulkString(command.Name);
        writer.WriteInteger(command.Arity);
        WriteStatusSet(writer, command.Flags);
        writer.WriteInteger(command.FirstKey);
        writer.WriteInteger(command.LastKey);
        writer.WriteInteger(command.KeyStep);
        WriteStatusSet(writer, command.AclCategories);
        WriteSetHeader(writer, 0); // Tips: RingKV gives none.
        WriteSetHeader(writer, command.KeySpecs.Count);
        foreach (var spec in command.KeySpecs)
        {
            WriteKeySpec(writer, spec);
        }
        if (command.Subcommands.Count == 0)
        {
            WriteSetHeader(writer, 0); // Redis writes an empty set here, an array when there are subcommands.
        }
        else
        {
            WriteInfos(writer, command.Subcommands);
        }
    }

    private static void WriteKeySpec(RespWriter writer, KeySpec spec)
    {
        writer.WriteMapHeader(3);
        writer.WriteBulkString("flags"u8);
        WriteStatusSet(writer, spec.Flags);
        writer.WriteBulkString("begin_search"u8);
        writer.WriteMapHeader(2);
        writer.WriteBulkString("type"u8);
        writer.WriteBulkString("index"u8);
        writer.WriteBulkString("spec"u8);
        writer.WriteMapHeader(1);
        writer.WriteBulkString("index"u8);
        writer.WriteInteger(spec.BeginIndex);
        writer.WriteBulkString("find_keys"u8);
        writer.WriteMapHeader(2);
        writer.WriteBulkString("type"u8);
        writer.WriteBulkString("range"u8);
        writer.WriteBulkString("spec"u8);
        writer.WriteMapHeader(3);
        writer.WriteBulkString("lastkey"u8);
        writer.WriteInteger(spec.LastKey);
        writer.WriteBulkString("keystep"u8);
        writer.WriteInteger(spec.KeyStep);
        writer.WriteBulkString("limit"u8);
        writer.WriteInteger(0);
    }

    /// <summary>One COMMAND DOCS value: summary, since, group, complexity, arguments, subcommands (absent ones left out).</summary>
    private static void WriteDocs(RespWriter writer, CommandSpec command)
    {
        var pairs = 1 + Count(command.Summary) + Count(command.Since) + Count(command.Complexity)
            + (command.Arguments.Count > 0 ? 1 : 0) + (command.Subcommands.Count > 0 ? 1 : 0);
        writer.WriteMapHeader(pairs);
        WriteOptionalField(writer, "summary", command.Summary);
        WriteOptionalField(writer, "since", command.Since);
        WriteField(writer, "group", command.Group); // redis-cli's HELP @group compares it: never left out.
        WriteOptionalField(writer, "complexity", command.Complexity);
        if (command.Arguments.Count > 0)
        {
            writer.WriteBulkString("arguments"u8);
            WriteArguments(writer, command.Arguments);
        }
        if (command.Subcommands.Count > 0)
        {
            writer.WriteBulkString("subcommands"u8);
            writer.WriteMapHeader(command.Subcommands.Count);
            foreach (var sub in command.Subcommands)
            {
                writer.WriteBulkString(sub.Name);
                WriteDocs(writer, sub);
            }
        }
    }

    private static void WriteArguments(RespWriter writer, IReadOnlyList<CommandArgument> arguments)
    {
        writer.WriteArrayHeader(arguments.Count);
        foreach (var argument in arguments)
        {
            var hasChildren = argument.Type is CommandArgumentType.OneOf or CommandArgumentType.Block;
            writer.WriteMapHeader(2 + (argument.KeySpecIndex >= 0 ? 1 : 0) + (argument.Token is null ? 0 : 1)
                + (argument.Flags == CommandArgumentFlags.None ? 0 : 1) + (hasChildren ? 1 : 0));
            WriteField(writer, "name", argument.Name);
            WriteField(writer, "type", argument.TypeName);
            if (argument.KeySpecIndex >= 0)
            {
                writer.WriteBulkString("key_spec_index"u8);
                writer.WriteInteger(argument.KeySpecIndex);
            }
            if (argument.Token is not null)
            {
                WriteField(writer, "token", argument.Token);
            }
            if (argument.Flags != CommandArgumentFlags.None)
            {
                writer.WriteBulkString("flags"u8);
                WriteStatusSet(writer, FlagNames(argument.Flags));
            }
            if (hasChildren)
            {
                writer.WriteBulkString("arguments"u8);
                WriteArguments(writer, argument.Arguments);
            }
        }
    }

    private static List<string> FlagNames(CommandArgumentFlags flags)
    {
        var names = new List<string>(3);
        if ((flags & CommandArgumentFlags.Optional) != 0) { names.Add("optional"); }
        if ((flags & CommandArgumentFlags.Multiple) != 0) { names.Add("multiple"); }
        if ((flags & CommandArgumentFlags.MultipleToken) != 0) { names.Add("multiple_token"); }
        return names;
    }

    private static int Count(string value) => value.Length > 0 ? 1 : 0;

    private static void WriteField(RespWriter writer, string key, string value)
    {
        writer.WriteBulkString(key);
        writer.WriteBulkString(value);
    }

    /// <summary>Left out when empty, as Redis leaves out a field its table has no value for (LOLWUT's complexity).</summary>
    private static void WriteOptionalField(RespWriter writer, string key, string value)
    {
        if (value.Length > 0)
        {
            WriteField(writer, key, value);
        }
    }

    private static void WriteStatusSet(RespWriter writer, IReadOnlyCollection<string> items)
    {
        WriteSetHeader(writer, items.Count);
        foreach (var item in items)
        {
            writer.WriteSimpleString(Encoding.UTF8.GetBytes(item));
        }
    }

    /// <summary>RESP3 set (<c>~</c>), or an array in RESP2, the way Redis' <c>addReplySetLen</c> degrades.</summary>
    private static void WriteSetHeader(RespWriter writer, int count)
    {
        if (writer.ProtocolVersion >= 3)
        {
            writer.WriteRaw(Encoding.ASCII.GetBytes($"~{count}\r\n"));
        }
        else
        {
            writer.WriteArrayHeader(count);
        }
    }

    private static string Truncate(string text) => text.Length > 128 ? text[..128] : text;
}
