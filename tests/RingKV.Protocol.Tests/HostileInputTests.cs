using System.Buffers;

namespace RingKV.Protocol.Tests;

/// <summary>
/// Input crafted to make a parser allocate, overflow or recurse on the sender's say-so (the classes of Redis'
/// CVE-2021-32675, CVE-2021-32627/32628 and its RESP3 depth limit): a header announcing the maximum costs nothing
/// until the data arrives, lengths near the type's range do not wrap, and nesting is refused before the stack is in
/// danger. Allocation is measured on the test's own thread, so the bounds are exact, not timing-dependent.
/// </summary>
public sealed class HostileInputTests
{
    /// <summary>What one parse may allocate for a header alone: the argument array's first size, with room to spare.</summary>
    private const long HeaderAllocationBound = 64 * 1024;

    [Theory]
    [InlineData("*1048576\r\n")] // the most arguments the default limits accept
    [InlineData("*1048576\r\n$536870912\r\n")] // ...and the longest bulk string
    [InlineData("*2\r\n$3\r\nSET\r\n$536870912\r\nabc")]
    public void RequestParser_HeaderAnnouncingTheMaximum_AllocatesOnlyForWhatArrived(string payload)
    {
        var input = new ReadOnlySequence<byte>(SequenceVariant.Bytes(payload));
        var request = new RespRequest();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var reader = new SequenceReader<byte>(input);
        var complete = RespRequestParser.TryParse(ref reader, request, RespLimits.Default);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(complete);
        Assert.True(allocated < HeaderAllocationBound, $"parsing the header alone allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("*1073741823\r\n", "Protocol error: invalid multibulk length")]
    [InlineData("*9223372036854775807\r\n", "Protocol error: invalid multibulk length")]
    [InlineData("*99999999999999999999999\r\n", "Protocol error: invalid multibulk length")]
    [InlineData("*1\r\n$536870913\r\n", "Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$9223372036854775807\r\n", "Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$-9223372036854775808\r\n", "Protocol error: invalid bulk length")]
    public void RequestParser_LengthsPastTheLimitsOrTheRange_ProtocolError(string payload, string message) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
            Assert.Equal(message, RequestParsing.ParseExpectingError(variant.Sequence).Message));

    [Fact]
    public void RequestParser_BulkLengthAtLongMaxWithNoLimit_WaitsInsteadOfOverflowing()
    {
        var limits = new RespLimits { MaxBulkLength = long.MaxValue };

        var (requests, consumed) = RequestParsing.ParseAll(new ReadOnlySequence<byte>("*1\r\n$9223372036854775807\r\nabc"u8.ToArray()), limits);

        Assert.Empty(requests);
        Assert.Equal(0, consumed);
    }

    [Theory]
    [InlineData("*1\r\n*1\r\n$1\r\na\r\n", "Protocol error: expected '$', got '*'")]
    [InlineData("*2\r\n$3\r\nGET\r\n%1\r\n$1\r\nk\r\n$1\r\nv\r\n", "Protocol error: expected '$', got '%'")]
    [InlineData("*1\r\n~1\r\n$1\r\na\r\n", "Protocol error: expected '$', got '~'")]
    public void RequestParser_NestedAggregate_ProtocolError(string payload, string message) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
            Assert.Equal(message, RequestParsing.ParseExpectingError(variant.Sequence).Message));

    [Fact]
    public void RequestParser_EveryPrefixThenTheWhole_SameRequestAsParsedAtOnce()
    {
        var payload = SequenceVariant.Bytes("*4\r\n$3\r\nSET\r\n$5\r\nk\r\ney\r\n$10\r\n0123456789\r\n$0\r\n\r\n+");
        for (var cut = 0; cut <= payload.Length; cut++)
        {
            var request = new RespRequest();
            var prefix = new SequenceReader<byte>(new ReadOnlySequence<byte>(payload[..cut]));
            var completeEarly = RespRequestParser.TryParse(ref prefix, request, RespLimits.Default);
            Assert.Equal(cut >= payload.Length - 1, completeEarly);
            // The connection's buffer: the same bytes, more of them, split wherever the reads ended.
            var whole = new SequenceReader<byte>(SequenceVariant.FromSegments(payload[..cut], payload[cut..]));
            Assert.True(RespRequestParser.TryParse(ref whole, request, RespLimits.Default));
            Assert.Equal(["SET", "k\r\ney", "0123456789", ""], Enumerable.Range(0, request.Count).Select(i => SequenceVariant.Text(request[i])));
            Assert.Equal(payload.Length - 1, whole.Consumed);
        }
    }

    [Theory]
    [InlineData("*1048576\r\n")]
    [InlineData("%524288\r\n")]
    [InlineData("$536870912\r\n")]
    [InlineData("*3\r\n$536870912\r\nabc")]
    public void ReplyParser_HeaderAnnouncingTheMaximum_AllocatesOnlyForWhatArrived(string payload)
    {
        var input = new ReadOnlySequence<byte>(SequenceVariant.Bytes(payload));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var reader = new SequenceReader<byte>(input);
        var complete = RespReplyParser.TryParse(ref reader, RespLimits.Default, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(complete);
        Assert.True(allocated < HeaderAllocationBound, $"parsing the header alone allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("%9223372036854775807\r\n")] // doubled for keys and values, it would wrap to a negative count
    [InlineData("%4611686018427387904\r\n")]
    [InlineData("%524289\r\n")]
    [InlineData("*1048577\r\n")]
    [InlineData("$536870913\r\n")]
    public void ReplyParser_CountsPastTheLimitsOrTheRange_ProtocolError(string payload)
    {
        var error = Assert.Throws<RespProtocolException>(() => ParseReply(payload, RespLimits.Default));

        Assert.StartsWith("Protocol error: invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplyParser_NestedToTheLimit_Parses()
    {
        var limits = RespLimits.Default;

        var value = ParseReply(Nested(limits.MaxNestingDepth), limits);

        var depth = 0;
        for (; value.Type == RespType.Array && value.Items.Count == 1; value = value.Items[0])
        {
            depth++;
        }
        Assert.Equal(limits.MaxNestingDepth, depth);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1_000_000)] // deep enough to overflow the stack if the parser recursed that far
    public void ReplyParser_NestedPastTheLimit_ProtocolErrorWithoutRecursingFurther(int extraLevels)
    {
        var limits = RespLimits.Default;

        var error = Assert.Throws<RespProtocolException>(() => ParseReply(Nested(limits.MaxNestingDepth + extraLevels), limits));

        Assert.Equal("Protocol error: reply nested too deeply", error.Message);
    }

    [Fact]
    public void ReplyParser_ConfiguredDepth_IsTheLimit()
    {
        var limits = new RespLimits { MaxNestingDepth = 3 };

        ParseReply(Nested(3), limits);
        Assert.Throws<RespProtocolException>(() => ParseReply(Nested(4), limits));
        // Sets, maps and pushes nest like arrays.
        Assert.Throws<RespProtocolException>(() => ParseReply("~1\r\n%1\r\n+k\r\n>1\r\n*1\r\n:1\r\n", limits));
    }

    /// <summary><paramref name="levels"/> arrays, each holding the next, the innermost holding <c>:1</c>.</summary>
    private static string Nested(int levels) => string.Concat(Enumerable.Repeat("*1\r\n", levels)) + ":1\r\n";

    private static RespValue ParseReply(string payload, RespLimits limits)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(SequenceVariant.Bytes(payload)));
        Assert.True(RespReplyParser.TryParse(ref reader, limits, out var value), "the reply is complete");
        return value;
    }
}
