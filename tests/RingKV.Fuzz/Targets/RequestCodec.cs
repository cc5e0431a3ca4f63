using System.Buffers;
using System.Text;
using RingKV.Protocol;

namespace RingKV.Fuzz.Targets;

/// <summary>The server's request reader (<see cref="RespRequestParser"/>), with one request object reused as a connection does.</summary>
internal sealed class RequestCodec(RespLimits limits) : FrameCodec(limits)
{
    private readonly RespRequest _request = new();

    public override string Name => "request parser";

    public override bool TryParse(ref SequenceReader<byte> reader) => RespRequestParser.TryParse(ref reader, _request, Limits);

    public override string Render()
    {
        var text = new StringBuilder(_request.IsInline ? "inline[" : "multibulk[");
        for (var i = 0; i < _request.Count; i++)
        {
            text.Append(i == 0 ? "\"" : " \"").Append(Printable.Escape(_request[i], int.MaxValue)).Append('"');
        }
        return text.Append(']').ToString();
    }
}
