namespace RingKV.Storage.Tests;

/// <summary>Pins enum values that reach the disk or the wire: changing one breaks stored data and mixed clusters.</summary>
public class WireEnumTests
{
    [Fact]
    public void RecordFlags_ValuesArePinned()
    {
        Assert.Equal(0, (byte)RecordFlags.None);
        Assert.Equal(1, (byte)RecordFlags.Tombstone);
        Assert.Equal(2, Enum.GetValues<RecordFlags>().Length);
    }

    [Fact]
    public void ApplyResult_ValuesArePinned()
    {
        Assert.Equal(0, (int)ApplyResult.Applied);
        Assert.Equal(1, (int)ApplyResult.Stale);
        Assert.Equal(2, Enum.GetValues<ApplyResult>().Length);
    }
}
