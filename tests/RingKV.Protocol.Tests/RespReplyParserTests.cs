using System.Buffers;

namespace RingKV.Protocol.Tests;

public class RespReplyParserTests
{
    public static TheoryData<string, string> Replies => new()
    {
        { "+OK\r\n", "+OK" },
        { "-ERR boom\r\n", "-ERR boom" },
        { ":-12\r\n", ":-12" },
        { ":9223372036854775807\r\n", ":9223372036854775807" },
        { "$5\r\nhello\r\n", "$hello" },
        { "$6\r\na\0\r\nb\n\r\n", "$a\0\r\nb\n" },
        { "$0\r\n\r\n", "$" },
        { "$-1\r\n", "null" },
        { "*-1\r\n", "null" },
        { "*0\r\n", "*[]" },
        { "*3\r\n$1\r\na\r\n:1\r\n$-1\r\n", "*[$a, :1, null]" },
        { "*2\r\n*1\r\n+x\r\n*2\r\n:1\r\n*0\r\n", "*[*[+x], *[:1, *[]]]" },
        { "_\r\n", "null" },
        { ",3.14\r\n", ",3.14" },
        { ",-inf\r\n", ",-inf" },
        { "#t\r\n", "#1" },
        { "#f\r\n", "#0" },
        { "(3492890328409238509324850943850943825024385\r\n", "(3492890328409238509324850943850943825024385" },
        { "!21\r\nSYNTAX invalid syntax\r\n", "!SYNTAX invalid syntax" },
        { "=15\r\ntxt:Some string\r\n", "=txt:Some string" },
        { "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", "%[+first, :1, +second, :2]" },
        { "~2\r\n+a\r\n+b\r\n", "~[+a, +b]" },
        { ">3\r\n+message\r\n+chan\r\n$2\r\nhi\r\n", ">[+message, +chan, $hi]" },
        { "%1\r\n+k\r\n*2\r\n#t\r\n_\r\n", "%[+k, *[#1, null]]" },
    };

    public static TheoryData<string> MalformedReplies => new()
    {
        "?what\r\n",
        "$abc\r\n",
        "$-2\r\n",
        ":12a\r\n",
        "*x\r\n",
        "$3\r\nabcXY",
        "*1\r\n?\r\n",
    };

    /// <summary>A type-tagged rendering of a reply tree, so whole trees compare with one assertion.</summary>
    private static string Describe(RespValue value) => value.Type switch
    {
        RespType.Null => "null",
        RespType.Integer or RespType.Boolean => $"{(char)value.Type}{value.Integer}",
        RespType.Array or RespType.Set or RespType.Map or RespType.Push =>
            $"{(char)value.Type}[{string.Join(", ", value.Items.Select(Describe))}]",
        _ => (char)value.Type + SequenceVariant.Text(value.Bytes),
    };

    private static List<RespValue> ParseAll(ReadOnlySequence<byte> input, out long consumed)
    {
        var reader = new SequenceReader<byte>(input);
        var values = new List<RespValue>();
        while (RespReplyParser.TryParse(ref reader, RespLimits.Default, out var value))
        {
            values.Add(value);
        }
        consumed = reader.Consumed;
        return values;
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public void TryParse_Reply_SameTreeInEveryVariant(string payload, string expected) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
        {
            var values = ParseAll(variant.Sequence, out var consumed);
            Assert.Equal([expected], values.Select(Describe));
            Assert.Equal(payload.Length, consumed);
        });

    [Fact]
    public void TryParse_SeveralReplies_ParsedInOrder()
    {
        const string payload = "+OK\r\n:1\r\n$-1\r\n*1\r\n$1\r\nx\r\n";

        Assert.All(SequenceVariant.Of(payload), variant =>
            Assert.Equal(["+OK", ":1", "null", "*[$x]"], ParseAll(variant.Sequence, out _).Select(Describe)));
    }

    [Theory]
    [InlineData("$-1\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("_\r\n")]
    public void TryParse_Nulls_IsNull(string payload)
    {
        var value = Assert.Single(ParseAll(new ReadOnlySequence<byte>(SequenceVariant.Bytes(payload)), out _));

        Assert.True(value.IsNull);
        Assert.Null(value.AsString());
        Assert.Equal("(nil)", value.ToString());
    }

    [Theory]
    [InlineData("-ERR boom\r\n")]
    [InlineData("!8\r\nERR boom\r\n")]
    public void TryParse_Errors_IsError(string payload)
    {
        var value = Assert.Single(ParseAll(new ReadOnlySequence<byte>(SequenceVariant.Bytes(payload)), out _));

        Assert.True(value.IsError);
        Assert.Equal("ERR boom", value.AsString());
        Assert.Equal("(error) ERR boom", value.ToString());
    }

    [Fact]
    public void TryParse_Integer_AsStringIsDecimal()
    {
        var value = Assert.Single(ParseAll(new ReadOnlySequence<byte>(":-7\r\n"u8.ToArray()), out _));

        Assert.Equal("-7", value.AsString());
    }

    [Theory]
    [InlineData("+OK\r\n")]
    [InlineData("$5\r\nhello\r\n")]
    [InlineData("*2\r\n$1\r\na\r\n*1\r\n:1\r\n")]
    [InlineData("%1\r\n+k\r\n+v\r\n")]
    [InlineData("#t\r\n")]
    public void TryParse_EveryProperPrefix_ReturnsFalseAndConsumesNothing(string payload)
    {
        var bytes = SequenceVariant.Bytes(payload);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.All(SequenceVariant.Of(bytes[..length]), variant =>
            {
                var reader = new SequenceReader<byte>(variant.Sequence);
                Assert.False(RespReplyParser.TryParse(ref reader, RespLimits.Default, out _));
                Assert.Equal(0, reader.Consumed);
            });
        }
    }

    [Theory]
    [MemberData(nameof(MalformedReplies))]
    public void TryParse_Malformed_ThrowsInEveryVariant(string payload) =>
        Assert.All(SequenceVariant.Of(payload), variant =>
            Assert.Throws<RespProtocolException>(() => ParseAll(variant.Sequence, out _)));

    [Fact]
    public void TryParse_UnknownPrefix_NamesIt()
    {
        var error = Assert.Throws<RespProtocolException>(() => ParseAll(new ReadOnlySequence<byte>("?what\r\n"u8.ToArray()), out _));

        Assert.Equal("Protocol error: unexpected reply type '?'", error.Message);
    }

    [Fact]
    public void TryParse_WriterOutput_RoundTripsResp2()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new RespWriter(output);
        writer.WriteArrayHeader(7);
        writer.WriteSimpleString("OK"u8);
        writer.WriteError("ERR no");
        writer.WriteInteger(long.MinValue);
        writer.WriteBulkString(SequenceVariant.Bytes("\0\r\n"));
        writer.WriteNull();
        writer.WriteNullArray();
        writer.WriteMapHeader(1);
        writer.WriteBulkString("k");
        writer.WriteBulkString("v");

        var value = Assert.Single(ParseAll(new ReadOnlySequence<byte>(output.WrittenMemory), out _));

        Assert.Equal("*[+OK, -ERR no, :-9223372036854775808, $\0\r\n, null, null, *[$k, $v]]", Describe(value));
    }

    [Fact]
    public void TryParse_WriterOutput_RoundTripsResp3()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new RespWriter(output, protocolVersion: 3);
        writer.WriteArrayHeader(3);
        writer.WriteNull();
        writer.WriteNullArray();
        writer.WriteMapHeader(2);
        writer.WriteBulkString("a");
        writer.WriteInteger(1);
        writer.WriteBulkString("b");
        writer.WriteInteger(2);

        var value = Assert.Single(ParseAll(new ReadOnlySequence<byte>(output.WrittenMemory), out _));

        Assert.Equal("*[null, null, %[$a, :1, $b, :2]]", Describe(value));
    }

    [Fact]
    public void TryParse_BulkOverMaxBulkLength_Throws()
    {
        var limits = new RespLimits { MaxBulkLength = 4 };

        Assert.Throws<RespProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("$5\r\nhello\r\n"u8.ToArray()));
            RespReplyParser.TryParse(ref reader, limits, out _);
        });
    }

    [Theory]
    [InlineData("+aaaaaaaaaaaaaaaaaaaa\r\n")]
    [InlineData("-aaaaaaaaaaaaaaaaaaaa")]
    public void TryParse_LineOverMaxInlineLength_ThrowsWhetherOrNotItsCrlfArrived(string payload)
    {
        var limits = new RespLimits { MaxInlineLength = 16 };

        Assert.All(SequenceVariant.Of(payload), variant => Assert.Throws<RespProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(variant.Sequence);
            RespReplyParser.TryParse(ref reader, limits, out _);
        }));
    }

    [Theory]
    [InlineData("%9223372036854775807\r\n")]
    [InlineData("%4611686018427387904\r\n")]
    [InlineData("*9223372036854775807\r\n")]
    public void TryParse_AggregateCountNearLongMax_ThrowsProtocolError(string payload) =>
        Assert.All(SequenceVariant.Of(payload), variant => Assert.Throws<RespProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(variant.Sequence);
            RespReplyParser.TryParse(ref reader, RespLimits.Default, out _);
        }));
}
