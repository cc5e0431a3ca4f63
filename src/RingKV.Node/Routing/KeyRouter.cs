using RingKV.Cluster;
using RingKV.Cluster.Map;
using RingKV.Node.Membership;
using RingKV.Node.Replication;
using RingKV.Placement;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Routing;

/// <summary>
/// Sends a single-key command to the node that acts as the key's primary: the first reachable node of the slot's
/// preference list. Executes it here when that is this node, forwards it (<c>RKV.FWD</c>) otherwise, and moves on
/// to the next replica at once when a forward fails, without waiting for the coordinator to declare anything.
/// </summary>
/// <remarks>
/// Nodes believed unreachable (DOWN in the map, or failing recently) are tried last rather than never, so a wrong
/// opinion (a coordinator that is itself cut off) costs latency, not availability. A forward that certainly did not
/// run (no connection, or refused as expired) is sent to the next replica. One that failed after it was sent has an
/// unknown outcome: a read is retried on the next replica, but a write is answered <see cref="UnknownOutcomeError"/>.
/// Retrying it would run it twice if the first attempt did run, and a second run under a newer version would undo any
/// write acknowledged in between (the `pause` nemesis found exactly that: a value read, overwritten, then back). The
/// first primary may also run a forward late (it was paused, or its reply was slow), which would stamp the old write
/// with a newer version than writes acknowledged meanwhile; so every forward carries its send time and a primary
/// refuses one older than half the peer timeout (<see cref="ExpiredForwardError"/>). The guard assumes the nodes'
/// clocks agree to within half the peer timeout.
/// </remarks>
public sealed class KeyRouter(NodeOptions options, ClusterAgent agent, Replicator replicator, PrimaryExecutor primary)
{
    private static readonly ReadOnlyMemory<byte>[] s_levelNames =
        [ReadOnlyMemory<byte>.Empty, "ONE"u8.ToArray(), "QUORUM"u8.ToArray(), "ALL"u8.ToArray()];

    /// <summary>A primary's answer to a forward that waited too long to run: certainly not executed, so retried.</summary>
    public const string ExpiredForwardError = "TRYAGAIN forwarded request expired before it could run";

    /// <summary>The answer to a write whose primary did not answer: it may or may not have been applied.</summary>
    public const string UnknownOutcomeError = "TIMEOUT the write may or may not have been applied";

    private long _forwarded;

    /// <summary>Commands this node sent to another node to execute (INFO stats <c>ringkv_forwarded_commands</c>).</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <param name="command">A command of <see cref="Commands.KeyCommands"/> (aliases resolved: PUT arrives as SET).</param>
    /// <param name="args">The command and its arguments; the key is at index 1. Read only until the call completes.</param>
    public ValueTask<KeyReply> ExecuteAsync(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, Consistency read, Consistency write)
    {
        var slot = HashSlot.ForKey(args[1].Span);
        var replicas = agent.Map.PreferenceList(slot);
        // This node leads the slot: it is first in any try order (it is always reachable from itself).
        return replicas.Length > 0 && replicas[0].Id == options.Id
            ? primary.ExecuteAsync(command, args, slot, read, write)
            : RouteAsync(command, args, slot, replicas, read, write);
    }

    private async ValueTask<KeyReply> RouteAsync(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, NodeEntry[] replicas, Consistency read, Consistency write)
    {
        if (replicas.Length == 0)
        {
            return KeyReply.Error("CLUSTERDOWN The cluster has no nodes yet");
        }
        foreach (var candidate in InTryOrder(replicas))
        {
            if (candidate.Id == options.Id)
            {
                return await primary.ExecuteAsync(command, args, slot, read, write);
            }
            Interlocked.Increment(ref _forwarded);
            var (reply, notSent) = await replicator.Peers.CallReportingAsync(candidate, ForwardFrame(command, args, read, write, primary.NowMs), PeerTraffic.Forwarding);
            if (reply is not null && !IsExpiredForward(reply))
            {
                return KeyReply.FromResp(reply);
            }
            if (reply is null && !notSent && !CommandTable.IsPureRead(command))
            {
                // The write may have run there: running it again elsewhere could apply it twice (see remarks).
                return KeyReply.Error($"{UnknownOutcomeError}: {candidate.Id} did not answer");
            }
        }
        return KeyReply.Error($"CLUSTERDOWN No replica of slot {slot} is reachable");
    }

    private IEnumerable<NodeEntry> InTryOrder(NodeEntry[] replicas)
    {
        foreach (var node in replicas)
        {
            if (replicator.IsAvailable(node))
            {
                yield return node;
            }
        }
        foreach (var node in replicas)
        {
            if (!replicator.IsAvailable(node))
            {
                yield return node;
            }
        }
    }

    private static bool IsExpiredForward(Protocol.RespValue reply) =>
        reply.IsError && reply.Bytes is { } text && text.AsSpan().StartsWith("TRYAGAIN forwarded"u8);

    private static ReadOnlyMemory<byte>[] ForwardFrame(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, Consistency read, Consistency write, long sentMs)
    {
        var frame = new ReadOnlyMemory<byte>[args.Count + 4];
        frame[0] = InternalCommands.Forward;
        frame[1] = s_levelNames[(int)read];
        frame[2] = s_levelNames[(int)write];
        frame[3] = System.Text.Encoding.ASCII.GetBytes(sentMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The canonical name, not the client's spelling: an alias such as PUT leaves the node as SET.
        frame[4] = Commands.KeyCommands.TryGet(command, out var keyCommand) ? keyCommand.WireName : args[0];
        for (var i = 1; i < args.Count; i++)
        {
            frame[i + 4] = args[i];
        }
        return frame;
    }
}
