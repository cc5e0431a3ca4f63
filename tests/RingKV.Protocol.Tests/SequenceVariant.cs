using System.Buffers;
using System.Text;

namespace RingKV.Protocol.Tests;

/// <summary>
/// One way of delivering a payload: whole, split in two at one position, or one byte per segment.
/// A codec must give the same answer for every variant (StackExchange.Redis' RESPite tests do the same).
/// </summary>
internal sealed record SequenceVariant(string Name, ReadOnlySequence<byte> Sequence)
{
    /// <summary>Whole, every two-way split (including the empty-segment ends), and one byte per segment.</summary>
    public static IEnumerable<SequenceVariant> Of(byte[] payload)
    {
        yield return new SequenceVariant("whole", new ReadOnlySequence<byte>(payload));
        for (var i = 0; i <= payload.Length; i++)
        {
            yield return new SequenceVariant($"split at {i}", FromSegments(payload[..i], payload[i..]));
        }
        if (payload.Length > 1)
        {
            yield return new SequenceVariant("one byte per segment", FromSegments([.. payload.Select(b => new[] { b })]));
        }
    }

    public static IEnumerable<SequenceVariant> Of(string latin1) => Of(Bytes(latin1));

    public static ReadOnlySequence<byte> FromSegments(params byte[][] segments)
    {
        if (segments.Length == 1)
        {
            return new ReadOnlySequence<byte>(segments[0]);
        }
        var first = new ChunkSegment(segments[0]);
        var last = first;
        foreach (var segment in segments.Skip(1))
        {
            last = last.Append(segment);
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Latin-1 maps each char 0-255 to one byte, so test payloads can spell binary data as strings.</summary>
    public static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public override string ToString() => Name;
}
