using System.Globalization;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

// RKV.FAULT: the switches of fault injection (Faults/FaultInjection.cs), refused unless the node was started with
// --fault-injection.
//   RKV.FAULT                               status: clock_offset_ms, ack_before_replicate
//   RKV.FAULT CLOCK-OFFSET <ms>             shift this node's wall clock (negative: behind)
//   RKV.FAULT ACK-BEFORE-REPLICATE ON|OFF   the planted replication bug
public sealed partial class NodeSession
{
    private void Fault(RespRequest request)
    {
        var faults = _node.Faults;
        if (!faults.Enabled)
        {
            Writer.WriteError("ERR fault injection is off: start the node with --fault-injection (tests only)"u8);
            return;
        }
        if (request.Count == 1)
        {
            Writer.WriteBulkString($"clock_offset_ms:{(long)faults.Clock.Offset.TotalMilliseconds}\r\nack_before_replicate:{(faults.AcknowledgeBeforeReplicating ? 1 : 0)}\r\n");
            return;
        }
        if (request.Count == 3 && CommandTable.EqualsIgnoreCase(request[1], "CLOCK-OFFSET")
            && long.TryParse(request[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offsetMs))
        {
            faults.Clock.Offset = TimeSpan.FromMilliseconds(offsetMs);
            Writer.WriteOk();
            return;
        }
        if (request.Count == 3 && CommandTable.EqualsIgnoreCase(request[1], "ACK-BEFORE-REPLICATE")
            && (CommandTable.EqualsIgnoreCase(request[2], "ON") || CommandTable.EqualsIgnoreCase(request[2], "OFF")))
        {
            faults.AcknowledgeBeforeReplicating = CommandTable.EqualsIgnoreCase(request[2], "ON");
            Writer.WriteOk();
            return;
        }
        Writer.WriteError("ERR usage: RKV.FAULT [CLOCK-OFFSET <ms> | ACK-BEFORE-REPLICATE ON|OFF]"u8);
    }
}
