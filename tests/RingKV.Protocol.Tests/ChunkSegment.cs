using System.Buffers;

namespace RingKV.Protocol.Tests;

/// <summary>One link of a hand-built multi-segment <see cref="ReadOnlySequence{T}"/>, as a pipe would hand it over.</summary>
internal sealed class ChunkSegment : ReadOnlySequenceSegment<byte>
{
    public ChunkSegment(ReadOnlyMemory<byte> memory) => Memory = memory;

    public ChunkSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new ChunkSegment(memory) { RunningIndex = RunningIndex + Memory.Length };
        Next = next;
        return next;
    }
}
