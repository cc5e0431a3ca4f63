using System.Buffers;
using RingKV.Protocol;

namespace RingKV.Fuzz.Targets;

/// <summary>One of the two RESP readers under test, behind one shape so the parser target drives both alike.</summary>
internal abstract class FrameCodec(RespLimits limits)
{
    protected RespLimits Limits { get; } = limits;

    public abstract string Name { get; }

    /// <summary>The parser's own contract: true and the reader advanced, false and unchanged, or RespProtocolException.</summary>
    public abstract bool TryParse(ref SequenceReader<byte> reader);

    /// <summary>The last frame read, as text; called outside the allocation measurement.</summary>
    public abstract string Render();
}
