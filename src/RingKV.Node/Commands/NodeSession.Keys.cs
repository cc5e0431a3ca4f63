using RingKV.Cluster;
using RingKV.Node.Replication;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

/// <summary>Key commands: validated here, executed per key by the router (so multi-key commands scatter and gather).</summary>
public sealed partial class NodeSession
{
    private static readonly KeyCommand s_get = KeyCommands.Get(RespCommand.Get);
    private static readonly KeyCommand s_set = KeyCommands.Get(RespCommand.Set);
    private static readonly KeyCommand s_del = KeyCommands.Get(RespCommand.Del);
    private static readonly KeyCommand s_exists = KeyCommands.Get(RespCommand.Exists);

    /// <summary>True for the commands <see cref="ExecuteKeyCommandAsync"/> handles.</summary>
    private static bool IsKeyCommand(RespCommand command) =>
        command is RespCommand.MGet or RespCommand.MSet or RespCommand.Forward || KeyCommands.TryGet(command, out _);

    private async ValueTask ExecuteKeyCommandAsync(RespCommand command, RespRequest request)
    {
        switch (command)
        {
            // DEL and EXISTS take many keys from clients but travel one key each (see KeyCommands).
            case RespCommand.Del when request.Count >= 2:
                await SumOverKeysAsync(s_del, request);
                return;
            case RespCommand.Exists when request.Count >= 2:
                await SumOverKeysAsync(s_exists, request);
                return;
            case RespCommand.MGet when request.Count >= 2:
                await MGetAsync(request);
                return;
            case RespCommand.MSet when request.Count >= 3 && request.Count % 2 == 1:
                await MSetAsync(request);
                return;
            case RespCommand.Forward when request.Count >= 5:
                await ForwardedAsync(request);
                return;
            case not (RespCommand.Del or RespCommand.Exists)
                when KeyCommands.TryGet(command, out var keyCommand) && keyCommand.AcceptsArgumentCount(request.Count):
                await SingleKeyAsync(keyCommand, request);
                return;
            default:
                WrongArity(request);
                return;
        }
    }

    /// <remarks>
    /// The hot path of GET and SET: the request itself is the argument list (valid until the command completes, as
    /// the server executes one request at a time per connection), and a command that completes synchronously (this
    /// node is the key's primary and needs no other copy) costs no state machine.
    /// </remarks>
    private ValueTask SingleKeyAsync(KeyCommand keyCommand, RespRequest request)
    {
        // Bad options are answered here, before any network hop.
        if (keyCommand.Validate(request, _node.Primary.NowMs) is { } error)
        {
            Writer.WriteError(error);
            return ValueTask.CompletedTask;
        }
        var pending = RouteAsync(keyCommand.Command, request);
        if (pending.IsCompletedSuccessfully)
        {
            pending.Result.WriteTo(Writer);
            return ValueTask.CompletedTask;
        }
        return WriteWhenDoneAsync(pending);
    }

    private async ValueTask WriteWhenDoneAsync(ValueTask<KeyReply> pending) => (await pending).WriteTo(Writer);

    private ValueTask<KeyReply> RouteAsync(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args) =>
        _node.Router.ExecuteAsync(command, args, ReadLevel, WriteLevel);

    /// <summary>
    /// <c>RKV.FWD read write [sent-ms] command args...</c>: another node decided we are the key's acting primary.
    /// <c>sent-ms</c> is the sender's wall clock when it sent the request (nodes always send it; tests may omit it).
    /// </summary>
    /// <remarks>
    /// <para>The sender validated the request; the primary checks arity again, so a malformed forward gets an error
    /// naming the carried command rather than an exception.</para>
    /// <para>A forward older than half the peer timeout is refused with <c>TRYAGAIN</c> before it runs. The sender
    /// gives up after the whole timeout and retries on the next replica, so a late forward is one whose caller has
    /// (or soon will have) had it executed elsewhere: a primary that was paused (SIGSTOP, a long GC) and wakes up with
    /// old requests in its socket must not run them now, or it would stamp an old write with a new version and undo
    /// writes acknowledged meanwhile. The half leaves room for clock skew between the two nodes.</para>
    /// </remarks>
    private async ValueTask ForwardedAsync(RespRequest request)
    {
        if (!ConsistencyExtensions.TryParse(request.GetString(1), out var read) || !ConsistencyExtensions.TryParse(request.GetString(2), out var write))
        {
            Writer.WriteError("ERR invalid consistency level"u8);
            return;
        }
        var first = 3;
        if (long.TryParse(request[3], out var sentMs))
        {
            if (_node.Primary.NowMs - sentMs > _node.Options.PeerTimeout.TotalMilliseconds / 2)
            {
                Writer.WriteError(Routing.KeyRouter.ExpiredForwardError);
                return;
            }
            first = 4;
        }
        var command = request.Count > first + 1 ? CommandTable.Lookup(request[first]) : RespCommand.Unknown;
        if (!KeyCommands.TryGet(command, out _))
        {
            Writer.WriteError("ERR RKV.FWD carries only single-key commands"u8);
            return;
        }
        var args = Arguments(request, first);
        // Never forward again: the sender already chose us, and a second hop could loop between two stale maps.
        var reply = await _node.Primary.ExecuteAsync(command, args, Placement.HashSlot.ForKey(args[1].Span), read, write);
        reply.WriteTo(Writer);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "Started together, each consumed once by GatherAsync")]
    private async ValueTask SumOverKeysAsync(KeyCommand keyCommand, RespRequest request)
    {
        var pending = new ValueTask<KeyReply>[request.Count - 1];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = RouteAsync(keyCommand.Command, [keyCommand.WireName, request.Memory(i + 1)]);
        }
        var replies = await GatherAsync(pending);
        if (FirstError(replies) is { } error)
        {
            error.WriteTo(Writer);
            return;
        }
        var sum = 0L;
        foreach (var reply in replies)
        {
            sum += reply.Integer;
        }
        Writer.WriteInteger(sum);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "Started together, each consumed once by GatherAsync")]
    private async ValueTask MGetAsync(RespRequest request)
    {
        var pending = new ValueTask<KeyReply>[request.Count - 1];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = RouteAsync(RespCommand.Get, [s_get.WireName, request.Memory(i + 1)]);
        }
        var replies = await GatherAsync(pending);
        if (FirstError(replies) is { } error)
        {
            error.WriteTo(Writer);
            return;
        }
        Writer.WriteArrayHeader(replies.Length);
        foreach (var reply in replies)
        {
            reply.WriteTo(Writer);
        }
    }

    /// <remarks>Not atomic across keys: each pair is an independent quorum write. A failure is reported, but pairs
    /// that succeeded stay written (documented in the README's consistency contract). A key named twice gets its
    /// last value, as in Redis: only that pair is sent, since two concurrent SETs of one key may land in any order.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "Started together, each consumed once by GatherAsync")]
    private async ValueTask MSetAsync(RespRequest request)
    {
        var pairs = (request.Count - 1) / 2;
        var seen = new HashSet<ReadOnlyMemory<byte>>(pairs, ByteKeyComparer.Instance);
        var pending = new List<ValueTask<KeyReply>>(pairs);
        // From the last pair back: the first time a key is met is its last value.
        for (var i = pairs - 1; i >= 0; i--)
        {
            var key = request.Memory(1 + 2 * i);
            if (seen.Add(key))
            {
                pending.Add(RouteAsync(RespCommand.Set, [s_set.WireName, key, request.Memory(2 + 2 * i)]));
            }
        }
        var replies = await GatherAsync([.. pending]);
        if (FirstError(replies) is { } error)
        {
            error.WriteTo(Writer);
            return;
        }
        Writer.WriteOk();
    }

    /// <summary>
    /// The replies of commands already started (each on its own key's primary, so they run concurrently), in order.
    /// Awaiting each in turn costs no task for the many that completed synchronously.
    /// </summary>
    private static async ValueTask<KeyReply[]> GatherAsync(ValueTask<KeyReply>[] pending)
    {
        var replies = new KeyReply[pending.Length];
        for (var i = 0; i < pending.Length; i++)
        {
            replies[i] = await pending[i];
        }
        return replies;
    }

    private static KeyReply? FirstError(KeyReply[] replies)
    {
        foreach (var reply in replies)
        {
            if (reply.IsError)
            {
                return reply;
            }
        }
        return null;
    }

    private static ReadOnlyMemory<byte>[] Arguments(RespRequest request, int first)
    {
        var args = new ReadOnlyMemory<byte>[request.Count - first];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = request.Memory(first + i);
        }
        return args;
    }
}
