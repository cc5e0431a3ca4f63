using RingKV.Storage.Versioning;

namespace RingKV.Storage.Tests;

public class MergeRuleTests
{
    private static readonly RecordVersion Older = new(100, 2);
    private static readonly RecordVersion Newer = new(101, 1);

    [Fact]
    public void Supersedes_NothingStored_True() =>
        Assert.True(MergeRule.Supersedes(StoredRecord.Tombstone(Older), null));

    [Fact]
    public void Supersedes_NewerValueOverOlderValue_True() =>
        Assert.True(MergeRule.Supersedes(Value(Newer), Value(Older)));

    [Fact]
    public void Supersedes_OlderValueOverNewerValue_False() =>
        Assert.False(MergeRule.Supersedes(Value(Older), Value(Newer)));

    [Fact]
    public void Supersedes_EqualVersion_False() =>
        Assert.False(MergeRule.Supersedes(Value(Newer, "other"), Value(Newer)));

    [Fact]
    public void Supersedes_NewerTombstoneOverValue_True() =>
        Assert.True(MergeRule.Supersedes(StoredRecord.Tombstone(Newer), Value(Older)));

    [Fact]
    public void Supersedes_NewerValueOverTombstone_True() =>
        Assert.True(MergeRule.Supersedes(Value(Newer), StoredRecord.Tombstone(Older)));

    [Fact]
    public void Supersedes_OlderTombstoneOverValue_False() =>
        Assert.False(MergeRule.Supersedes(StoredRecord.Tombstone(Older), Value(Newer)));

    [Fact]
    public void Supersedes_SameTimestampHigherNodeTag_True() =>
        Assert.True(MergeRule.Supersedes(Value(new RecordVersion(7, 2)), Value(new RecordVersion(7, 1))));

    private static StoredRecord Value(RecordVersion version, string text = "v") =>
        StoredRecord.ForValue(version, System.Text.Encoding.UTF8.GetBytes(text));
}
