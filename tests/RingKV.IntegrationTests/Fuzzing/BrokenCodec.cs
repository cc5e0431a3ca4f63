using System.Buffers;
using RingKV.Fuzz.Targets;
using RingKV.Protocol;

namespace RingKV.IntegrationTests.Fuzzing;

/// <summary>A reader with one deliberate fault, to show the parser target notices each kind it promises to.</summary>
internal sealed class BrokenCodec(BrokenCodec.Fault fault) : FrameCodec(RespLimits.Default)
{
    public enum Fault
    {
        /// <summary>Allocates 16 MB per call, as sizing an array from <c>*1000000</c> would.</summary>
        Preallocates,

        /// <summary>Throws something other than RespProtocolException.</summary>
        Throws,

        /// <summary>Reports a frame without advancing.</summary>
        ConsumesNothing,

        /// <summary>Reads one segment as one frame, so the answer depends on how the bytes arrived.</summary>
        DependsOnSegments,
    }

    private long _frameLength;

    public override string Name => fault switch
    {
        Fault.Preallocates => "preallocates",
        Fault.Throws => "throws",
        Fault.ConsumesNothing => "consumes nothing",
        _ => "depends on segments",
    };

    public override bool TryParse(ref SequenceReader<byte> reader)
    {
        switch (fault)
        {
            case Fault.Preallocates:
                GC.KeepAlive(new ReadOnlyMemory<byte>[1_000_000]);
                return false;
            case Fault.Throws:
                throw new InvalidOperationException("boom");
            case Fault.ConsumesNothing:
                return !reader.End;
            default:
                if (reader.End)
                {
                    return false;
                }
                _frameLength = reader.UnreadSpan.Length;
                reader.Advance(_frameLength);
                return true;
        }
    }

    public override string Render() => $"frame of {_frameLength} bytes";
}
