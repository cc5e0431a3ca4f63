using RingKV.Protocol;

namespace RingKV.Node.Keyspace;

/// <summary>
/// One node's answer to <c>RKV.SCANSLOTS</c>: the live keys of the whole slots it scanned, and <see cref="Next"/>,
/// the first asked slot it did not scan (<see cref="Placement.HashSlot.Count"/> when it scanned them all).
/// On the wire: <c>[next, [key, ...]]</c>.
/// </summary>
public sealed record SlotScan(int Next, List<byte[]> Keys)
{
    public void WriteTo(RespWriter writer)
    {
        writer.WriteArrayHeader(2);
        writer.WriteInteger(Next);
        writer.WriteArrayHeader(Keys.Count);
        foreach (var key in Keys)
        {
            writer.WriteBulkString(key);
        }
    }

    /// <summary>Reads the wire form; false for any other shape (a peer of another version, a garbled reply).</summary>
    public static (bool Ok, SlotScan Value) FromResp(RespValue reply)
    {
        if (reply.Type != RespType.Array || reply.Items.Count != 2 || reply.Items[0].Type != RespType.Integer
            || reply.Items[1].Type != RespType.Array || reply.Items[1].Items.Any(k => k.Bytes is null))
        {
            return (false, null!);
        }
        return (true, new SlotScan((int)reply.Items[0].Integer, reply.Items[1].Items.Select(k => k.Bytes!).ToList()));
    }
}
