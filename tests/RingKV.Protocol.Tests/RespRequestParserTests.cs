using System.Buffers;

namespace RingKV.Protocol.Tests;

public class RespRequestParserTests
{
    public static TheoryData<string, string[][]> CompletePayloads => new()
    {
        { "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n", [["GET", "key"]] },
        { "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n", [["SET", "k", "value"]] },
        // Binary safe: NUL, CR and LF inside a bulk are data, not framing.
        { "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\na\0\r\nb\n\r\n", [["SET", "k", "a\0\r\nb\n"]] },
        { "*3\r\n$3\r\nSET\r\n$0\r\n\r\n$0\r\n\r\n", [["SET", "", ""]] },
        { "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nDEL\r\n$1\r\nb\r\n", [["PING"], ["GET", "a"], ["DEL", "b"]] },
        // A pipeline may mix multibulk and inline requests.
        { "*1\r\n$4\r\nPING\r\nGET k\r\n*1\r\n$4\r\nQUIT\r\n", [["PING"], ["GET", "k"], ["QUIT"]] },
        { "*0\r\n", [[]] },
        { "*-1\r\n", [[]] },
        { "*0\r\n*1\r\n$4\r\nPING\r\n", [[], ["PING"]] },
    };

    public static TheoryData<string> IncompletableRequests => new()
    {
        "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n",
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\na\0\r\nb\n\r\n",
        "*1\r\n$0\r\n\r\n",
        "*0\r\n",
        "GET key\r\n",
    };

    [Theory]
    [MemberData(nameof(CompletePayloads))]
    public void TryParse_CompletePayload_SameRequestsInEveryVariant(string payload, string[][] expected) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
        {
            var (requests, consumed) = RequestParsing.ParseAll(variant.Sequence);
            Assert.Equal(expected, requests);
            Assert.Equal(variant.Sequence.Length, consumed);
        });

    [Theory]
    [MemberData(nameof(IncompletableRequests))]
    public void TryParse_EveryProperPrefix_ReturnsFalseAndConsumesNothing(string payload)
    {
        var bytes = SequenceVariant.Bytes(payload);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.All(SequenceVariant.Of(bytes[..length]), variant =>
            {
                var reader = new SequenceReader<byte>(variant.Sequence);
                Assert.False(RespRequestParser.TryParse(ref reader, new RespRequest(), RespLimits.Default));
                Assert.Equal(0, reader.Consumed);
            });
        }
    }

    [Fact]
    public void TryParse_PrefixThenRest_ParsesOnceCompleted()
    {
        var bytes = SequenceVariant.Bytes("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n");
        var request = new RespRequest();

        var partial = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes[..10]));
        Assert.False(RespRequestParser.TryParse(ref partial, request, RespLimits.Default));

        var complete = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Assert.True(RespRequestParser.TryParse(ref complete, request, RespLimits.Default));
        Assert.Equal(2, request.Count);
        Assert.Equal("GET", request.GetString(0));
        Assert.Equal("key", request.GetString(1));
        Assert.False(request.IsInline);
    }

    [Theory]
    [InlineData("*0\r\n")]
    [InlineData("*-1\r\n")]
    public void TryParse_EmptyMultibulk_CountZeroAndConsumed(string payload)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(SequenceVariant.Bytes(payload)));
        var request = RespRequest.FromStrings("left", "over");

        Assert.True(RespRequestParser.TryParse(ref reader, request, RespLimits.Default));

        Assert.Empty(request);
        Assert.Equal(payload.Length, reader.Consumed);
    }

    [Fact]
    public void TryParse_HugeDeclaredCountWithNothingAfter_ReturnsFalse()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("*1000000\r\n"u8.ToArray()));

        Assert.False(RespRequestParser.TryParse(ref reader, new RespRequest(), RespLimits.Default));
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void TryParse_EmptyInput_ReturnsFalse()
    {
        var reader = new SequenceReader<byte>(ReadOnlySequence<byte>.Empty);

        Assert.False(RespRequestParser.TryParse(ref reader, new RespRequest(), RespLimits.Default));
    }

    [Fact]
    public void TryParse_BulkAtMaxBulkLength_Accepted()
    {
        var limits = new RespLimits { MaxBulkLength = 5 };

        var (requests, _) = RequestParsing.ParseAll(new ReadOnlySequence<byte>("*1\r\n$5\r\nhello\r\n"u8.ToArray()), limits);

        Assert.Equal([["hello"]], requests);
    }

    [Fact]
    public void Memory_IndexOutOfRange_Throws()
    {
        var request = RespRequest.FromStrings("GET", "k");

        Assert.Throws<ArgumentOutOfRangeException>(() => request.Memory(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => request.Memory(-1));
    }
}
