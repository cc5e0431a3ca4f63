using System.Globalization;
using RingKV.Node.Keyspace;
using RingKV.Node.Replication;
using RingKV.Placement;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

// Keyspace commands answered for the whole cluster (SCAN, KEYS, RANDOMKEY, DBSIZE, FLUSHALL, FLUSHDB; see
// ClusterKeyspace), the per-key ones built from routed reads and deletes (UNLINK, TOUCH, TYPE, OBJECT ENCODING),
// and the internal requests through which nodes answer for the slots they lead.
public sealed partial class NodeSession
{
    private static readonly byte[] s_matchAll = "*"u8.ToArray();

    private static bool IsKeyspaceCommand(RespCommand command) => command is RespCommand.Unlink or RespCommand.Touch
        or RespCommand.Type or RespCommand.Object or RespCommand.Keys or RespCommand.Scan or RespCommand.RandomKey
        or RespCommand.DbSize or RespCommand.FlushAll or RespCommand.FlushDb or RespCommand.Lolwut
        or RespCommand.ScanSlots or RespCommand.CountSlots or RespCommand.Clock or RespCommand.Flush;

    private async ValueTask ExecuteKeyspaceCommandAsync(RespCommand command, RespRequest request)
    {
        try
        {
            switch (command)
            {
                case RespCommand.Unlink when request.Count >= 2:
                    await SumOverKeysAsync(s_del, request);
                    return;
                case RespCommand.Touch when request.Count >= 2:
                    await SumOverKeysAsync(s_exists, request);
                    return;
                case RespCommand.Type when request.Count == 2:
                    await TypeAsync(request);
                    return;
                case RespCommand.Object when request.Count >= 2:
                    await ObjectAsync(request);
                    return;
                case RespCommand.Keys when request.Count == 2:
                    if (!PatternTooLong(request[1]))
                    {
                        WriteKeys(await _node.Keyspace.KeysAsync(request[1].ToArray()));
                    }
                    return;
                case RespCommand.Scan when request.Count >= 2:
                    await ScanAsync(request);
                    return;
                case RespCommand.RandomKey when request.Count == 1:
                    var key = await _node.Keyspace.RandomKeyAsync();
                    if (key is null) { Writer.WriteNull(); } else { Writer.WriteBulkString(key); }
                    return;
                case RespCommand.DbSize when request.Count == 1:
                    Writer.WriteInteger(await _node.Keyspace.CountAsync());
                    return;
                case RespCommand.FlushAll or RespCommand.FlushDb:
                    await FlushAsync(request);
                    return;
                case RespCommand.Lolwut:
                    Writer.WriteBulkString($"   .-.\n  (   )   RingKV ver. {Net.ServerInfo.Version}\n   '-'\n");
                    return;
                case RespCommand.ScanSlots when request.Count == 4:
                    await ScanSlotsAsync(request);
                    return;
                case RespCommand.CountSlots when request.Count == 2 && TryParseSlots(request.GetString(1), out var slots):
                    Writer.WriteInteger(await Task.Run(() => _node.Keyspace.CountLocal(slots)));
                    return;
                case RespCommand.Clock when request.Count == 1:
                    Writer.WriteInteger((long)_node.Keyspace.ClockNow());
                    return;
                case RespCommand.Flush when request.Count == 2 && ulong.TryParse(request[1], out var horizon):
                    await Task.Run(() => _node.Keyspace.FlushLocal(horizon));
                    Writer.WriteOk();
                    return;
                case RespCommand.CountSlots when request.Count == 2:
                    return; // TryParseSlots answered
                default:
                    WrongArity(request);
                    return;
            }
        }
        catch (KeyspaceUnavailableException ex)
        {
            Writer.WriteError(ex.Message);
        }
    }

    private async ValueTask TypeAsync(RespRequest request)
    {
        var reply = await RouteAsync(RespCommand.Exists, [s_exists.WireName, request.Memory(1)]);
        if (reply.IsError) { reply.WriteTo(Writer); }
        else { Writer.WriteSimpleString(reply.Integer == 1 ? "string"u8 : "none"u8); }
    }

    /// <remarks>
    /// OBJECT ENCODING is computed from the value as Redis encodes a freshly SET string: <c>int</c> for a canonical
    /// 64-bit integer, <c>embstr</c> up to 44 bytes, <c>raw</c> beyond. Redis also says <c>raw</c> for a short string
    /// grown by APPEND or SETRANGE, and <c>embstr</c> for an INCRBYFLOAT result that looks like an integer; RingKV
    /// stores no encoding, so those two differ (docs/compatibility.md).
    /// </remarks>
    private async ValueTask ObjectAsync(RespRequest request)
    {
        var sub = request.GetString(1).ToUpperInvariant();
        switch (sub)
        {
            case "ENCODING" when request.Count == 3:
                var reply = await RouteAsync(RespCommand.Get, [s_get.WireName, request.Memory(2)]);
                if (reply.IsError || reply.Kind == KeyReplyKind.Null)
                {
                    reply.WriteTo(Writer);
                    return;
                }
                var value = reply.Bytes!;
                Writer.WriteBulkString(value.Length <= 20 && RedisInteger.TryParse(value, out _) ? "int"u8
                    : value.Length <= 44 ? "embstr"u8 : "raw"u8);
                return;
            case "HELP" when request.Count == 2:
                WriteLines(
                    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "ENCODING <key>",
                    "    Return the kind of internal representation used in order to store the value",
                    "    associated with a <key>.",
                    "HELP",
                    "    Print this help.");
                return;
            case "FREQ" or "IDLETIME" or "REFCOUNT" when request.Count == 3:
                var exists = await RouteAsync(RespCommand.Exists, [s_exists.WireName, request.Memory(2)]);
                if (exists.IsError) { exists.WriteTo(Writer); }
                else if (exists.Integer == 0) { Writer.WriteNull(); }
                else { Writer.WriteError($"ERR OBJECT {sub} is not supported: RingKV keeps no access statistics or shared objects"); }
                return;
            case "ENCODING" or "HELP" or "FREQ" or "IDLETIME" or "REFCOUNT":
                Writer.WriteError($"ERR wrong number of arguments for 'object|{sub.ToLowerInvariant()}' command");
                return;
            default:
                Writer.WriteError($"ERR unknown subcommand '{Truncate(request.GetString(1))}'. Try OBJECT HELP.");
                return;
        }
    }

    /// <summary>SCAN cursor [MATCH pattern] [COUNT count] [TYPE type], parsed in Redis 7.0's order and wording.</summary>
    private async ValueTask ScanAsync(RespRequest request)
    {
        if (!ulong.TryParse(request[1], NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
        {
            Writer.WriteError("ERR invalid cursor"u8);
            return;
        }
        long count = 10;
        var pattern = s_matchAll;
        string? type = null;
        for (var i = 2; i < request.Count; i += 2)
        {
            var option = request[i];
            var hasValue = i + 1 < request.Count;
            if (hasValue && CommandTable.EqualsIgnoreCase(option, "COUNT"))
            {
                if (!RedisInteger.TryParse(request[i + 1], out count))
                {
                    Writer.WriteError(KeyErrors.NotAnInteger);
                    return;
                }
                if (count < 1)
                {
                    Writer.WriteError(KeyErrors.Syntax);
                    return;
                }
            }
            else if (hasValue && CommandTable.EqualsIgnoreCase(option, "MATCH"))
            {
                if (PatternTooLong(request[i + 1]))
                {
                    return;
                }
                pattern = request[i + 1].ToArray();
            }
            else if (hasValue && CommandTable.EqualsIgnoreCase(option, "TYPE"))
            {
                type = request.GetString(i + 1);
            }
            else
            {
                Writer.WriteError(KeyErrors.Syntax);
                return;
            }
        }
        // Cursors are slot numbers; one past the last slot (or any larger number) is an iteration that has ended.
        var (next, keys) = cursor >= HashSlot.Count ? (0, []) : await _node.Keyspace.ScanAsync((int)cursor, count, pattern);
        // Every key RingKV stores is a string; Redis 7.0 filters by any other type name, known or not, to nothing.
        if (type is not null && !type.Equals("string", StringComparison.OrdinalIgnoreCase))
        {
            keys = [];
        }
        Writer.WriteArrayHeader(2);
        Writer.WriteBulkString(next.ToString(CultureInfo.InvariantCulture));
        WriteKeys(keys);
    }

    /// <summary>FLUSHALL / FLUSHDB [ASYNC|SYNC]: both clear the cluster (there is one database); always synchronous.</summary>
    private async ValueTask FlushAsync(RespRequest request)
    {
        if (request.Count > 2 || (request.Count == 2 && !CommandTable.EqualsIgnoreCase(request[1], "ASYNC") && !CommandTable.EqualsIgnoreCase(request[1], "SYNC")))
        {
            Writer.WriteError(KeyErrors.Syntax);
            return;
        }
        if (await _node.Keyspace.FlushAsync() is { } error)
        {
            Writer.WriteError(error);
            return;
        }
        Writer.WriteOk();
    }

    /// <summary><c>RKV.SCANSLOTS slots count pattern</c>: this node's live keys of those slots (see <see cref="SlotScan"/>).</summary>
    private async ValueTask ScanSlotsAsync(RespRequest request)
    {
        if (!TryParseSlots(request.GetString(1), out var slots))
        {
            return;
        }
        if (!long.TryParse(request[2], out var count) || count < 1)
        {
            Writer.WriteError("ERR invalid count"u8);
            return;
        }
        // A peer checked the pattern already; this check is for anyone else who sends the internal command.
        if (PatternTooLong(request[3]))
        {
            return;
        }
        var pattern = request[3].ToArray();
        // A scan of many slots must not hold a socket thread.
        var scan = await Task.Run(() => _node.Keyspace.ScanLocal(slots, count, pattern));
        scan.WriteTo(Writer);
    }

    /// <summary>
    /// Answers the error for a glob longer than <c>max-pattern-len</c>: matching costs up to pattern length × key length
    /// per key, so the pattern's length is what a client controls (docs/limits.md).
    /// </summary>
    private bool PatternTooLong(ReadOnlySpan<byte> pattern)
    {
        if (GlobPattern.CheckLength(pattern, Limits.Protocol.MaxPatternLength) is not { } error)
        {
            return false;
        }
        Writer.WriteError(error);
        return true;
    }

    private void WriteKeys(List<byte[]> keys)
    {
        Writer.WriteArrayHeader(keys.Count);
        foreach (var key in keys)
        {
            Writer.WriteBulkString(key);
        }
    }

    private void WriteLines(params string[] lines)
    {
        Writer.WriteArrayHeader(lines.Length);
        foreach (var line in lines)
        {
            Writer.WriteSimpleString(System.Text.Encoding.UTF8.GetBytes(line));
        }
    }
}
