using System.Buffers;

namespace RingKV.Fuzz.Targets;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s from one buffer, as a pipe hands over data received in pieces.</summary>
internal static class Segments
{
    /// <summary>
    /// <paramref name="bytes"/> cut at <paramref name="cuts"/> (ascending offsets; repeats and the two ends give empty
    /// segments, which pipes produce too). Each segment is copied into its own array, so a parser that reads past a
    /// segment's end reads nothing it should not.
    /// </summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, IReadOnlyList<int> cuts)
    {
        if (cuts.Count == 0)
        {
            return new ReadOnlySequence<byte>(bytes.ToArray());
        }
        var start = 0;
        Chunk? first = null;
        Chunk? last = null;
        foreach (var cut in cuts.Append(bytes.Length))
        {
            var piece = bytes[start..cut].ToArray();
            last = last is null ? first = new Chunk(piece, 0) : last.Append(piece);
            start = cut;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>Between 1 and <paramref name="maxCuts"/> random cut positions, ascending, possibly repeated.</summary>
    public static int[] RandomCuts(int length, int maxCuts, Random random)
    {
        var cuts = new int[1 + random.Next(maxCuts)];
        for (var i = 0; i < cuts.Length; i++)
        {
            cuts[i] = random.Next(length + 1);
        }
        Array.Sort(cuts);
        return cuts;
    }

    public static int[] EveryByte(int length) => [.. Enumerable.Range(1, Math.Max(0, length - 1))];

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Chunk Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Chunk(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
