namespace RingKV.Protocol.Tests;

/// <summary>Malformed requests: the texts are the ones Redis' networking.c sends, so clients see familiar errors.</summary>
public class RespRequestParserErrorTests
{
    private static readonly RespLimits SmallLimits = new() { MaxBulkLength = 4, MaxInlineLength = 16, MaxArguments = 8 };

    public static TheoryData<string, string> MalformedPayloads => new()
    {
        { "*abc\r\n", "Protocol error: invalid multibulk length" },
        { "*\r\n", "Protocol error: invalid multibulk length" },
        { "*2000000\r\n", "Protocol error: invalid multibulk length" },
        { "*1\r\n+foo\r\n", "Protocol error: expected '$', got '+'" },
        { "*2\r\n$3\r\nGET\r\n:1\r\n", "Protocol error: expected '$', got ':'" },
        { "*1\r\n$-5\r\n", "Protocol error: invalid bulk length" },
        { "*1\r\n$-1\r\n", "Protocol error: invalid bulk length" },
        { "*1\r\n$abc\r\n", "Protocol error: invalid bulk length" },
        // Bulk framed with a wrong length: the CRLF is not where the length says.
        { "*1\r\n$3\r\nGETxx\r\n", "Protocol error: invalid bulk length" },
        { "SET k \"abc\r\n", "Protocol error: unbalanced quotes in request" },
        { "SET k 'abc\r\n", "Protocol error: unbalanced quotes in request" },
        { "SET k \"a\"b\r\n", "Protocol error: unbalanced quotes in request" },
        // Numbers string2ll refuses, so Redis does (found by the differential fuzzer; .NET's parser accepted them).
        { "*01\r\n$4\r\nPING\r\n", "Protocol error: invalid multibulk length" },
        { "*+1\r\n$4\r\nPING\r\n", "Protocol error: invalid multibulk length" },
        { "*-0\r\n", "Protocol error: invalid multibulk length" },
        { "*1\r\n$04\r\nPING\r\n", "Protocol error: invalid bulk length" },
        { "*1\r\n$+4\r\nPING\r\n", "Protocol error: invalid bulk length" },
    };

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public void TryParse_Malformed_ThrowsRedisMessageInEveryVariant(string payload, string message) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
            Assert.Equal(message, RequestParsing.ParseExpectingError(variant.Sequence).Message));

    [Theory]
    [InlineData("*1\r\n$5\r\nhello\r\n")]
    [InlineData("*1\r\n$5\r\n")] // rejected from the header alone, before buffering the payload
    public void TryParse_BulkOverMaxBulkLength_Throws(string payload) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
            Assert.Equal("Protocol error: invalid bulk length", RequestParsing.ParseExpectingError(variant.Sequence, SmallLimits).Message));

    [Fact]
    public void TryParse_CountOverCustomMaxArguments_Throws() =>
        Assert.Equal("Protocol error: invalid multibulk length",
            RequestParsing.ParseExpectingError(SequenceVariant.FromSegments(SequenceVariant.Bytes("*9\r\n")), SmallLimits).Message);

    [Theory]
    [InlineData("GET aaaaaaaaaaaaaaaaaaaaaaaa\r\n")]
    [InlineData("GET aaaaaaaaaaaaaaaaaaaaaaaa")] // no newline yet: refused before it arrives
    public void TryParse_InlineOverMaxInlineLength_Throws(string payload) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
            Assert.Equal("Protocol error: too big inline request", RequestParsing.ParseExpectingError(variant.Sequence, SmallLimits).Message));

    [Theory]
    [InlineData("GET aaaaaaaaaaaa\n")] // the limit counts every byte before the LF...
    [InlineData("GET aaaaaaaaaaa\r\n")] // ...including a CR
    public void TryParse_InlineAtMaxInlineLength_Accepted(string payload) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
        {
            var (requests, _) = RequestParsing.ParseAll(variant.Sequence, SmallLimits);
            Assert.Equal([payload.TrimEnd().Split(' ')], requests);
        });

    [Fact]
    public void TryParse_EndlessCountLine_Throws() =>
        Assert.Equal("Protocol error: too big mbulk count string",
            RequestParsing.ParseExpectingError(SequenceVariant.FromSegments(SequenceVariant.Bytes("*" + new string('1', 32))), SmallLimits).Message);
}
