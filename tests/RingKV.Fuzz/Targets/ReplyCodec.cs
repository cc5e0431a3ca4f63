using System.Buffers;
using RingKV.Protocol;

namespace RingKV.Fuzz.Targets;

/// <summary>The client's reply reader (<see cref="RespReplyParser"/>): the same streams are RESP2/RESP3 frames to it.</summary>
internal sealed class ReplyCodec(RespLimits limits) : FrameCodec(limits)
{
    private RespValue _value = RespValue.Null;

    public override string Name => "reply parser";

    public override bool TryParse(ref SequenceReader<byte> reader) => RespReplyParser.TryParse(ref reader, Limits, out _value);

    public override string Render() => Render(_value);

    private static string Render(RespValue value) => value.Items.Count > 0 || value.Type is RespType.Array or RespType.Map or RespType.Set or RespType.Push
        ? $"{(char)value.Type}[{string.Join(", ", value.Items.Select(Render))}]"
        : $"{(char)value.Type}{(value.Bytes is null ? value.Integer.ToString() : "\"" + Printable.Escape(value.Bytes, int.MaxValue) + "\"")}";
}
