using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests;

public class StoredRecordTests
{
    private static readonly RecordVersion Version = new(5, 1);

    [Fact]
    public void ForValue_NoExpiry_LiveForever()
    {
        var record = StoredRecord.ForValue(Version, [1, 2]);

        Assert.False(record.IsTombstone);
        Assert.Equal(RecordFlags.None, record.Flags);
        Assert.Equal(0, record.ExpiresAtMs);
        Assert.True(record.IsLive(long.MaxValue));
    }

    [Fact]
    public void IsLive_ExpiryIsInclusive()
    {
        var record = StoredRecord.ForValue(Version, [1], expiresAtMs: 1000);

        Assert.True(record.IsLive(999));
        Assert.False(record.IsLive(1000));
        Assert.False(record.IsLive(1001));
    }

    [Fact]
    public void Tombstone_HasNoValueAndIsNeverLive()
    {
        var record = StoredRecord.Tombstone(Version);

        Assert.True(record.IsTombstone);
        Assert.Equal(RecordFlags.Tombstone, record.Flags);
        Assert.Empty(record.Value);
        Assert.Equal(Version, record.Version);
        Assert.False(record.IsLive(0));
    }

    [Fact]
    public void ForValue_NegativeExpiry_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => StoredRecord.ForValue(Version, [], expiresAtMs: -1));

    [Fact]
    public void ForValue_NullValue_Throws() =>
        Assert.Throws<ArgumentNullException>(() => StoredRecord.ForValue(Version, null!));
}
