using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests;

public class RecordCodecTests
{
    private static readonly RecordVersion GoldenVersion = new(0x0102030405060708, 0x0A0B0C0D);

    private static readonly byte[] GoldenValueBytes =
    [
        0x01,
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
        0x0A, 0x0B, 0x0C, 0x0D,
        0x00,
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
        (byte)'h', (byte)'i',
    ];

    private static readonly byte[] GoldenTombstoneBytes =
    [
        0x01,
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
        0x0A, 0x0B, 0x0C, 0x0D,
        0x01,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    private static StoredRecord GoldenValue =>
        StoredRecord.ForValue(GoldenVersion, "hi"u8.ToArray(), expiresAtMs: 0x1122334455667788);

    [Fact]
    public void Encode_Value_MatchesGoldenBytes() =>
        Assert.Equal(GoldenValueBytes, RecordCodec.Encode(GoldenValue));

    [Fact]
    public void Encode_Tombstone_MatchesGoldenBytes() =>
        Assert.Equal(GoldenTombstoneBytes, RecordCodec.Encode(StoredRecord.Tombstone(GoldenVersion)));

    [Fact]
    public void Decode_GoldenBytes_YieldsTheRecord()
    {
        var record = RecordCodec.Decode(GoldenValueBytes);

        AssertSame(GoldenValue, record);
        Assert.True(RecordCodec.Decode(GoldenTombstoneBytes).IsTombstone);
    }

    public static TheoryData<StoredRecord> RoundTripRecords() =>
    [
        StoredRecord.ForValue(RecordVersion.Zero, []),
        StoredRecord.ForValue(new RecordVersion(ulong.MaxValue, uint.MaxValue), [0, 0, 0xFF], long.MaxValue),
        StoredRecord.ForValue(new RecordVersion(1, 2), new byte[70_000]),
        StoredRecord.Tombstone(new RecordVersion(42, 3)),
    ];

    [Theory]
    [MemberData(nameof(RoundTripRecords))]
    public void Decode_Encoded_RoundTrips(StoredRecord record)
    {
        var encoded = RecordCodec.Encode(record);

        Assert.Equal(RecordCodec.GetEncodedLength(record), encoded.Length);
        AssertSame(record, RecordCodec.Decode(encoded));
    }

    [Fact]
    public void Encode_IntoLargerSpan_WritesPrefixAndReturnsLength()
    {
        var buffer = new byte[64];
        buffer.AsSpan().Fill(0xEE);

        var written = RecordCodec.Encode(GoldenValue, buffer);

        Assert.Equal(GoldenValueBytes.Length, written);
        Assert.Equal(GoldenValueBytes, buffer[..written]);
        Assert.All(buffer[written..], b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void Encode_DestinationTooShort_Throws() =>
        Assert.Throws<ArgumentException>(() => RecordCodec.Encode(GoldenValue, new byte[GoldenValueBytes.Length - 1]));

    [Fact]
    public void Decode_EveryTruncatedHeader_ThrowsFormatException()
    {
        for (var length = 0; length < RecordCodec.HeaderLength; length++)
        {
            var ex = Assert.Throws<FormatException>(() => RecordCodec.Decode(GoldenValueBytes.AsSpan(0, length)));
            Assert.Contains("truncated", ex.Message);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0xFF)]
    public void Decode_UnknownFormat_ThrowsFormatException(byte format)
    {
        var ex = Assert.Throws<FormatException>(() => RecordCodec.Decode(With(GoldenValueBytes, 0, format)));
        Assert.Contains("format", ex.Message);
    }

    [Fact]
    public void Decode_UnknownFlagBits_ThrowsFormatException() =>
        Assert.Throws<FormatException>(() => RecordCodec.Decode(With(GoldenValueBytes, 13, 0x02)));

    [Fact]
    public void Decode_NegativeExpiry_ThrowsFormatException() =>
        Assert.Throws<FormatException>(() => RecordCodec.Decode(With(GoldenValueBytes, 14, 0x80)));

    [Fact]
    public void Decode_TombstoneWithValue_ThrowsFormatException() =>
        Assert.Throws<FormatException>(() => RecordCodec.Decode([.. GoldenTombstoneBytes, 0x00]));

    [Fact]
    public void Decode_TombstoneWithExpiry_ThrowsFormatException() =>
        Assert.Throws<FormatException>(() => RecordCodec.Decode(With(GoldenTombstoneBytes, 21, 0x01)));

    private static byte[] With(byte[] bytes, int index, byte value)
    {
        var copy = bytes.ToArray();
        copy[index] = value;
        return copy;
    }

    private static void AssertSame(StoredRecord expected, StoredRecord actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.ExpiresAtMs, actual.ExpiresAtMs);
        Assert.Equal(expected.Value, actual.Value);
    }
}
