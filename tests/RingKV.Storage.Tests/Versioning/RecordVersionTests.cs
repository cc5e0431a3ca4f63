using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests.Versioning;

public class RecordVersionTests
{
    [Fact]
    public void CompareTo_OrdersByTimestampFirst()
    {
        var older = new RecordVersion(10, NodeTag: 9);
        var newer = new RecordVersion(11, NodeTag: 1);

        Assert.True(newer > older);
        Assert.True(older < newer);
        Assert.True(newer.CompareTo(older) > 0);
    }

    [Fact]
    public void CompareTo_EqualTimestamps_OrdersByNodeTag()
    {
        var low = new RecordVersion(10, 1);
        var high = new RecordVersion(10, 2);

        Assert.True(high > low);
        Assert.True(low <= high);
        Assert.False(low >= high);
    }

    [Fact]
    public void Equality_SameFields_EqualAndNotGreater()
    {
        var a = new RecordVersion(10, 1);
        var b = new RecordVersion(10, 1);

        Assert.Equal(a, b);
        Assert.Equal(0, a.CompareTo(b));
        Assert.False(a > b);
        Assert.True(a >= b);
        Assert.True(a <= b);
    }

    [Fact]
    public void Zero_IsBelowEveryAssignedVersion()
    {
        Assert.Equal(new RecordVersion(0, 0), RecordVersion.Zero);
        Assert.True(new RecordVersion(0, 1) > RecordVersion.Zero);
        Assert.True(new RecordVersion(1, 0) > RecordVersion.Zero);
    }

    [Fact]
    public void Sort_IsTotalOrder()
    {
        RecordVersion[] versions = [new(2, 1), new(1, 5), new(2, 0), new(1, 4), RecordVersion.Zero];

        Array.Sort(versions);

        Assert.Equal([RecordVersion.Zero, new(1, 4), new(1, 5), new(2, 0), new(2, 1)], versions);
    }
}
