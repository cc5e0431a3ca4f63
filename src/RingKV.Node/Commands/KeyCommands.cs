using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

/// <summary>
/// The single-key commands a node routes to the key's acting primary: the one list that the client session
/// (validation), the <c>RKV.FWD</c> handler (what a peer may ask for) and <see cref="Replication.PrimaryExecutor"/>
/// (what it executes) share, so adding a command in one place can not leave the others rejecting it.
/// </summary>
/// <remarks>
/// DEL and EXISTS appear in their routed form, one key each: the session splits <c>DEL k1 k2</c> into one routed
/// DEL per key and sums the answers. MGET and MSET are not here; they are split into GETs and SETs. MSETNX, RENAME
/// and RENAMENX are here although they name several keys: their keys share one slot (the key at index 1 routes
/// them), so the slot's primary can execute them atomically.
/// </remarks>
public static class KeyCommands
{
    private static readonly FrozenDictionary<RespCommand, KeyCommand> s_byCommand = new KeyCommand[]
    {
        new(RespCommand.Get, "GET", 2),
        new(RespCommand.Set, "SET", -3, (args, now) => SetOptions.TryParse(args, 3, now, out _)),
        new(RespCommand.Del, "DEL", 2),
        new(RespCommand.Exists, "EXISTS", 2),
        new(RespCommand.GetDel, "GETDEL", 2),
        new(RespCommand.GetEx, "GETEX", -2, (args, now) => GetExOptions.TryParse(args, now, out _)),
        new(RespCommand.GetSet, "GETSET", 3),
        new(RespCommand.SetNx, "SETNX", 3),
        new(RespCommand.SetEx, "SETEX", 4, (args, now) => ExpiryArgument.TryResolve("EX"u8, args[2].Span, now, "setex", out _)),
        new(RespCommand.PSetEx, "PSETEX", 4, (args, now) => ExpiryArgument.TryResolve("PX"u8, args[2].Span, now, "psetex", out _)),
        new(RespCommand.GetRange, "GETRANGE", 4, (args, _) => StringArguments.TryParseRange(args, out var _, out var _)),
        new(RespCommand.SetRange, "SETRANGE", 4, (args, _) => StringArguments.TryParseOffset(args[2].Span, out var _)),
        new(RespCommand.Append, "APPEND", 3),
        new(RespCommand.StrLen, "STRLEN", 2),
        new(RespCommand.Incr, "INCR", 2),
        new(RespCommand.Decr, "DECR", 2),
        new(RespCommand.IncrBy, "INCRBY", 3, (args, _) => StringArguments.TryParseIncrement(RespCommand.IncrBy, args, out var _)),
        new(RespCommand.DecrBy, "DECRBY", 3, (args, _) => StringArguments.TryParseIncrement(RespCommand.DecrBy, args, out var _)),
        new(RespCommand.IncrByFloat, "INCRBYFLOAT", 3, (args, _) => LongDouble.TryParse(args[2].Span, out var _) ? null : KeyErrors.NotAFloat),
        // Multi-key commands that must be atomic run at one primary, so their keys must share a slot (hash tags).
        new(RespCommand.MSetNx, "MSETNX", -3, (args, _) => args.Count % 2 == 1 ? StringArguments.SameSlot(args, 1, 2) : WrongArity("msetnx")),
        new(RespCommand.Rename, "RENAME", 3, (args, _) => StringArguments.SameSlot(args, 1, 1)),
        new(RespCommand.RenameNx, "RENAMENX", 3, (args, _) => StringArguments.SameSlot(args, 1, 1)),
        new(RespCommand.Ttl, "TTL", 2),
        new(RespCommand.PTtl, "PTTL", 2),
        new(RespCommand.ExpireTime, "EXPIRETIME", 2),
        new(RespCommand.PExpireTime, "PEXPIRETIME", 2),
        new(RespCommand.Persist, "PERSIST", 2),
        Expire(RespCommand.Expire, "EXPIRE"),
        Expire(RespCommand.PExpire, "PEXPIRE"),
        Expire(RespCommand.ExpireAt, "EXPIREAT"),
        Expire(RespCommand.PExpireAt, "PEXPIREAT"),
    }.ToFrozenDictionary(c => c.Command);

    public static IReadOnlyCollection<KeyCommand> All => s_byCommand.Values;

    public static bool TryGet(RespCommand command, [NotNullWhen(true)] out KeyCommand? keyCommand) =>
        s_byCommand.TryGetValue(command, out keyCommand);

    /// <exception cref="KeyNotFoundException"><paramref name="command"/> is not a routable single-key command.</exception>
    public static KeyCommand Get(RespCommand command) => s_byCommand[command];

    private static string WrongArity(string name) => $"ERR wrong number of arguments for '{name}' command";

    private static KeyCommand Expire(RespCommand command, string name) =>
        new(command, name, -3, (args, now) => ExpireOptions.TryParse(command, args, now, out _));
}
