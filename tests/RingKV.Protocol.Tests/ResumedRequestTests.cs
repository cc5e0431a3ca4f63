using System.Buffers;
using System.Diagnostics;
using System.Text;

namespace RingKV.Protocol.Tests;

/// <summary>
/// A multibulk request that arrives over many reads is parsed on: each attempt continues where the last stopped.
/// Re-walking every argument on each read made a 100,000-argument request take seconds (found by the fuzzer).
/// </summary>
public class ResumedRequestTests
{
    [Fact]
    public void ManyArgumentsInSmallPieces_ParsedOnceInLinearTime()
    {
        const int Arguments = 200_000;
        var wire = new StringBuilder($"*{Arguments}\r\n");
        for (var i = 0; i < Arguments; i++)
        {
            wire.Append(i % 1000 == 0 ? "$5\r\nhello\r\n" : "$1\r\nx\r\n");
        }
        var payload = SequenceVariant.Bytes(wire.ToString());
        var request = new RespRequest();
        var clock = Stopwatch.StartNew();

        var parsed = ParseInPieces(payload, request, pieceSize: 4096);

        clock.Stop();
        Assert.True(parsed, "the request was not complete after its last piece");
        Assert.Equal(Arguments, request.Count);
        Assert.Equal("hello", request.GetString(0));
        Assert.Equal("x", request.GetString(1));
        Assert.Equal("hello", request.GetString(Arguments - 1000));
        // Quadratic re-walking took tens of seconds here; linear parsing takes milliseconds.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"parsing in pieces took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void SameBufferWithMoreBytes_ResumesWithoutReadingTheParsedArgumentsAgain()
    {
        var first = SequenceVariant.Bytes("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\n");
        var request = new RespRequest();
        var start = new ChunkSegment(first);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(start, 0, start, first.Length));
        Assert.False(RespRequestParser.TryParse(ref reader, request, RespLimits.Default));
        Assert.Equal(0, reader.Consumed);

        // Proof by contradiction: the first two arguments' headers now read '!', which parsing them again would refuse.
        first[4] = first[11] = (byte)'!';
        var rest = start.Append(SequenceVariant.Bytes("c\r\n"));
        reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(start, 0, rest, rest.Memory.Length));

        Assert.True(RespRequestParser.TryParse(ref reader, request, RespLimits.Default));
        Assert.Equal(["a", "b", "c"], Enumerable.Range(0, request.Count).Select(request.GetString));
        Assert.Equal(first.Length + 3, reader.Consumed);
    }

    [Fact]
    public void AnotherBuffer_StartsOver()
    {
        var request = new RespRequest();
        var first = new SequenceReader<byte>(new ReadOnlySequence<byte>(SequenceVariant.Bytes("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\n")));
        Assert.False(RespRequestParser.TryParse(ref first, request, RespLimits.Default));

        // Other memory (a caller that copied or rebuilt its buffer) is other bytes: the suspended arguments do not apply.
        var second = new SequenceReader<byte>(new ReadOnlySequence<byte>(SequenceVariant.Bytes("*3\r\n$1\r\nX\r\n$1\r\nY\r\n$1\r\nc\r\n")));
        Assert.True(RespRequestParser.TryParse(ref second, request, RespLimits.Default));

        Assert.Equal(["X", "Y", "c"], Enumerable.Range(0, request.Count).Select(request.GetString));
        Assert.Equal(second.Length, second.Consumed);
    }

    /// <summary>Feeds <paramref name="payload"/> as a pipe does: one chain of segments, re-parsed from the request's start after each piece.</summary>
    private static bool ParseInPieces(byte[] payload, RespRequest request, int pieceSize)
    {
        var first = new ChunkSegment(payload.AsMemory(0, Math.Min(pieceSize, payload.Length)));
        var last = first;
        while (true)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));
            if (RespRequestParser.TryParse(ref reader, request, RespLimits.Default))
            {
                return reader.Consumed == payload.Length;
            }
            var delivered = last.RunningIndex + last.Memory.Length;
            if (delivered == payload.Length)
            {
                return false;
            }
            last = last.Append(payload.AsMemory((int)delivered, (int)Math.Min(pieceSize, payload.Length - delivered)));
        }
    }
}
