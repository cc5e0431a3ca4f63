using RingKV.Protocol;

namespace RingKV.Fuzz.Servers;

/// <summary>One reply as received: its exact bytes (what the differential target compares) and its parsed value.</summary>
internal sealed record ReplyFrame(byte[] Raw, RespValue Value)
{
    public bool IsProtocolError => Value.Type == RespType.Error && Value.AsString()?.StartsWith("ERR Protocol error", StringComparison.Ordinal) == true;

    public override string ToString() => Targets.Printable.Escape(Raw);
}
