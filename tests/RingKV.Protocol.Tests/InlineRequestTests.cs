using System.Buffers;

namespace RingKV.Protocol.Tests;

/// <summary>Inline (telnet style) requests, split by Redis' sdssplitargs rules.</summary>
public class InlineRequestTests
{
    public static TheoryData<string, string[]> InlineLines => new()
    {
        { "PUT k v\r\n", ["PUT", "k", "v"] },
        { "GET k\n", ["GET", "k"] },
        { "  SET   a \t b   \r\n", ["SET", "a", "b"] },
        { "SET k \"a\\nb\\x41\\\"c\"\r\n", ["SET", "k", "a\nbA\"c"] },
        { "SET k \"\\r\\t\\\\\\x7a\\xZZ\"\r\n", ["SET", "k", "\r\t\\zxZZ"] },
        { "SET k 'it\\'s'\r\n", ["SET", "k", "it's"] },
        // Single quotes keep every other backslash as written.
        { "SET k 'a\\nb'\r\n", ["SET", "k", "a\\nb"] },
        { "SET \"\" ''\r\n", ["SET", "", ""] },
        { "SET k \"two words\"\n", ["SET", "k", "two words"] },
        // sdssplitargs opens quoting mid-argument and ends arguments only at space, tab, CR and LF (found by the
        // differential fuzzer: redis-server 7.0.15 answers these the same way).
        { "ECHO a\"b c\" \r\n", ["ECHO", "ab c"] },
        { "ECHO x'y z'\r\n", ["ECHO", "xy z"] },
        { "ECHO a\vb\fc\r\n", ["ECHO", "a\vb\fc"] },
        { "\vECHO a\f\r\n", ["ECHO", "a\f"] },
        { "\vECHO\f a\r\n", ["ECHO\f", "a"] },
    };

    [Theory]
    [MemberData(nameof(InlineLines))]
    public void TryParse_InlineLine_SplitsLikeRedis(string payload, string[] expected) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
        {
            var (requests, consumed) = RequestParsing.ParseAll(variant.Sequence);
            Assert.Equal([expected], requests);
            Assert.Equal(payload.Length, consumed);
        });

    [Theory]
    [InlineData("x\"\r\n")]
    [InlineData("ECHO a\"b c\"d\r\n")]
    public void TryParse_QuoteOpenedMidArgument_UnbalancedLikeRedis(string payload) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
            Assert.Equal("Protocol error: unbalanced quotes in request", RequestParsing.ParseExpectingError(variant.Sequence).Message));

    [Fact]
    public void TryParse_InlineLine_MarkedInline()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("PING\r\n"u8.ToArray()));
        var request = new RespRequest();

        Assert.True(RespRequestParser.TryParse(ref reader, request, RespLimits.Default));

        Assert.True(request.IsInline);
        Assert.Equal("PING", request.GetString(0));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("   \r\n")]
    public void TryParse_EmptyLine_CountZeroAndConsumed(string payload) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
        {
            var reader = new SequenceReader<byte>(variant.Sequence);
            var request = new RespRequest();

            Assert.True(RespRequestParser.TryParse(ref reader, request, RespLimits.Default));

            Assert.Empty(request);
            Assert.Equal(payload.Length, reader.Consumed);
        });

    [Fact]
    public void TryParse_SeveralInlineLines_ParsedInOrder()
    {
        var (requests, _) = RequestParsing.ParseAll(new ReadOnlySequence<byte>("SET a 1\r\nGET a\nDELETE a\r\n"u8.ToArray()));

        Assert.Equal([["SET", "a", "1"], ["GET", "a"], ["DELETE", "a"]], requests);
    }
}
