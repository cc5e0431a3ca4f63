using System.Buffers;
using System.Diagnostics;
using RingKV.Protocol;

namespace RingKV.Fuzz.Targets;

/// <summary>
/// Feeds a stream to both RESP readers (requests and replies), whole, cut into random segments, one byte per segment
/// (short streams), and grown piece by piece as a pipe delivers it, and checks each call's invariants.
/// </summary>
/// <remarks>
/// <para>Invariants: only <see cref="RespProtocolException"/> escapes; every call allocates at most
/// <see cref="AllocationSlack"/> plus <see cref="AllocationPerByte"/> times the bytes it was given, so nothing is
/// pre-allocated from an announced length (<c>*1000000</c> alone may not cost 16 MB); every call returns within
/// <see cref="CallTimeout"/>; a successful parse consumes at least one byte (no endless loop); and the frames, the
/// consumed length and the error are the same however the bytes are segmented.</para>
/// <para>Delivery piece by piece compares frames and whether an error came, not the error's text: the text may
/// honestly depend on what had arrived (Redis too says "too big mbulk count string" before a header's CRLF arrives and
/// "invalid multibulk length" after).</para>
/// <para>Allocation is measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/>, so one target must not be
/// shared between threads.</para>
/// </remarks>
internal sealed class ParserTarget
{
    public const long AllocationSlack = 64 * 1024;
    public const int AllocationPerByte = 64;
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Streams up to this length are also parsed one byte per segment.</summary>
    private const int ByteByByteLimit = 256;

    private readonly FrameCodec[] _codecs;

    public ParserTarget(RespLimits limits)
        : this(new RequestCodec(limits), new ReplyCodec(limits))
    {
    }

    /// <summary>Checks other codecs: the fuzzer's self-test hands it deliberately broken ones.</summary>
    public ParserTarget(params FrameCodec[] codecs) => _codecs = codecs;

    /// <summary>Checks every invariant; returns the first one broken, or null.</summary>
    public string? Check(byte[] input, Random random)
    {
        foreach (var codec in _codecs)
        {
            var failure = Check(codec, input, random);
            if (failure is not null)
            {
                return $"{codec.Name}: {failure}";
            }
        }
        return null;
    }

    private static string? Check(FrameCodec codec, byte[] input, Random random)
    {
        var whole = Run(codec, new ReadOnlySequence<byte>(input));
        if (whole.Violation is not null)
        {
            return "whole: " + whole.Violation;
        }
        var variants = new List<(string Name, int[] Cuts)>();
        for (var i = 0; i < 3; i++)
        {
            var cuts = Segments.RandomCuts(input.Length, 8, random);
            variants.Add(($"segments cut at {string.Join(",", cuts)}", cuts));
        }
        if (input.Length <= ByteByByteLimit)
        {
            variants.Add(("one byte per segment", Segments.EveryByte(input.Length)));
        }
        foreach (var (name, cuts) in variants)
        {
            var split = Run(codec, Segments.Split(input, cuts));
            var problem = split.Violation ?? whole.Difference(split);
            if (problem is not null)
            {
                return $"{name}: {problem} (whole: {whole})";
            }
        }
        var delivered = RunIncrementally(codec, input, random, out var deliveries);
        var difference = delivered.Violation ?? whole.Difference(delivered, compareErrorText: false);
        return difference is null ? null : $"delivered in pieces ending at {deliveries}: {difference} (whole: {whole})";
    }

    private static ParseOutcome Run(FrameCodec codec, ReadOnlySequence<byte> input)
    {
        var frames = new List<string>();
        var (consumed, error, violation, _) = Drive(codec, input, frames);
        return new ParseOutcome(frames, consumed, error, violation);
    }

    /// <summary>
    /// Parses as <c>RespServer</c> does: the buffer grows by random pieces, complete frames are taken from its start,
    /// and the rest waits for the next piece. The pieces are one chain of segments, as a pipe's, so a parser that
    /// resumes a frame where it stopped (the request parser does) sees the same positions again.
    /// </summary>
    private static ParseOutcome RunIncrementally(FrameCodec codec, byte[] input, Random random, out string deliveries)
    {
        var frames = new List<string>();
        var ends = Segments.RandomCuts(input.Length, 16, random).Append(input.Length).Distinct().ToArray();
        deliveries = string.Join(",", ends);
        var chain = Segments.Split(input, [.. ends.Concat(Segments.RandomCuts(input.Length, 4, random)).Order()]);
        var start = chain.Start;
        var startOffset = 0L;
        foreach (var end in ends)
        {
            var view = chain.Slice(start, chain.GetPosition(end - startOffset, start));
            var (consumed, error, violation, position) = Drive(codec, view, frames);
            startOffset += consumed;
            start = position;
            if (error is not null || violation is not null)
            {
                return new ParseOutcome(frames, startOffset, error, violation);
            }
        }
        return new ParseOutcome(frames, startOffset, null, null);
    }

    private static (long Consumed, string? Error, string? Violation, SequencePosition Position) Drive(FrameCodec codec, ReadOnlySequence<byte> input, List<string> frames)
    {
        var reader = new SequenceReader<byte>(input);
        var budget = AllocationSlack + AllocationPerByte * input.Length;
        while (true)
        {
            var before = reader.Consumed;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            bool parsed;
            try
            {
                parsed = codec.TryParse(ref reader);
            }
            catch (RespProtocolException ex)
            {
                return (reader.Consumed, ex.Message, null, reader.Position);
            }
            catch (Exception ex)
            {
                return (reader.Consumed, null, $"crash at offset {before}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}", reader.Position);
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (allocated > budget)
            {
                return (reader.Consumed, null, $"one call at offset {before} allocated {allocated} bytes for a {input.Length}-byte buffer (budget {budget})", reader.Position);
            }
            if (elapsed > CallTimeout)
            {
                return (reader.Consumed, null, $"hang: one call at offset {before} took {elapsed.TotalSeconds:0.0} s", reader.Position);
            }
            if (!parsed)
            {
                return (reader.Consumed, null, null, reader.Position);
            }
            if (reader.Consumed == before)
            {
                return (reader.Consumed, null, $"a parse at offset {before} succeeded without consuming a byte (would loop forever)", reader.Position);
            }
            frames.Add(codec.Render());
        }
    }
}
