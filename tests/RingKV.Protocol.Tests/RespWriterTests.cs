using System.Buffers;

namespace RingKV.Protocol.Tests;

public class RespWriterTests
{
    private static string Write(Action<RespWriter> write, int protocolVersion = 2)
    {
        var output = new ArrayBufferWriter<byte>();
        write(new RespWriter(output, protocolVersion));
        return SequenceVariant.Text(output.WrittenSpan);
    }

    [Fact]
    public void WriteSimpleString_WritesPlusLine() => Assert.Equal("+PONG\r\n", Write(w => w.WriteSimpleString("PONG"u8)));

    [Fact]
    public void WriteOk_WritesPlusOk() => Assert.Equal("+OK\r\n", Write(w => w.WriteOk()));

    [Fact]
    public void WriteError_WritesMinusLine() => Assert.Equal("-ERR boom\r\n", Write(w => w.WriteError("ERR boom")));

    [Fact]
    public void WriteError_CrLfInMessage_ReplacedBySpaces() =>
        Assert.Equal("-ERR bad  thing here\r\n", Write(w => w.WriteError("ERR bad\r\nthing\rhere")));

    [Theory]
    [InlineData(0, ":0\r\n")]
    [InlineData(-42, ":-42\r\n")]
    [InlineData(long.MaxValue, ":9223372036854775807\r\n")]
    [InlineData(long.MinValue, ":-9223372036854775808\r\n")]
    public void WriteInteger_WritesColonLine(long value, string expected) => Assert.Equal(expected, Write(w => w.WriteInteger(value)));

    [Fact]
    public void WriteBulkString_Empty_WritesZeroLength() => Assert.Equal("$0\r\n\r\n", Write(w => w.WriteBulkString(""u8)));

    [Fact]
    public void WriteBulkString_Binary_WritesBytesVerbatim() =>
        Assert.Equal("$5\r\na\0\r\n\xff\r\n", Write(w => w.WriteBulkString(SequenceVariant.Bytes("a\0\r\n\xff"))));

    [Fact]
    public void WriteBulkString_Utf8Text_LengthInBytes() =>
        Assert.Equal("$2\r\n\xc3\xa9\r\n", Write(w => w.WriteBulkString("é")));

    [Fact]
    public void WriteBulkString_MultiSegmentSequence_WritesAllSegments() =>
        Assert.Equal("$6\r\nabcdef\r\n", Write(w => w.WriteBulkString(SequenceVariant.FromSegments("ab"u8.ToArray(), "cd"u8.ToArray(), "ef"u8.ToArray()))));

    [Theory]
    [InlineData(2, "$-1\r\n")]
    [InlineData(3, "_\r\n")]
    public void WriteNull_DependsOnProtocolVersion(int version, string expected) => Assert.Equal(expected, Write(w => w.WriteNull(), version));

    [Theory]
    [InlineData(2, "*-1\r\n")]
    [InlineData(3, "_\r\n")]
    public void WriteNullArray_DependsOnProtocolVersion(int version, string expected) => Assert.Equal(expected, Write(w => w.WriteNullArray(), version));

    [Theory]
    [InlineData(2, "*6\r\n")]
    [InlineData(3, "%3\r\n")]
    public void WriteMapHeader_DependsOnProtocolVersion(int version, string expected) => Assert.Equal(expected, Write(w => w.WriteMapHeader(3), version));

    [Fact]
    public void WriteArrayHeader_WritesStarLine() => Assert.Equal("*2\r\n", Write(w => w.WriteArrayHeader(2)));

    [Fact]
    public void WriteCommand_WritesArrayOfBulkStrings() =>
        Assert.Equal("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n", Write(w => w.WriteCommand("SET", "k", "value")));

    [Fact]
    public void WriteCommand_ParsedByRequestParser_SameArguments()
    {
        var output = new ArrayBufferWriter<byte>();
        new RespWriter(output).WriteCommand("SET", "key with spaces", "");

        var (requests, _) = RequestParsing.ParseAll(new ReadOnlySequence<byte>(output.WrittenMemory));

        Assert.Equal([["SET", "key with spaces", ""]], requests);
    }

    [Fact]
    public void Reset_SwitchesOutput()
    {
        var first = new ArrayBufferWriter<byte>();
        var second = new ArrayBufferWriter<byte>();
        var writer = new RespWriter(first);

        writer.WriteInteger(1);
        writer.Reset(second);
        writer.WriteInteger(2);

        Assert.Equal(":1\r\n", SequenceVariant.Text(first.WrittenSpan));
        Assert.Equal(":2\r\n", SequenceVariant.Text(second.WrittenSpan));
    }
}
