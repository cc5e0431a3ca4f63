using RingKV.Storage.Hints;
using RingKV.Storage.Tests;

namespace RingKV.Storage.RocksDb.Tests;

public sealed class RocksDbHintStoreTests : HintStoreContract, IDisposable
{
    private readonly TestEngines _engines = new();

    protected override IHintStore CreateStore() => _engines.Open().Hints;

    [Fact]
    public void Append_TargetWithZeroCharacter_IsRejected()
    {
        using var engine = _engines.Open();

        Assert.Throws<ArgumentException>(() => engine.Hints.Append("a\0b", 0, [1], StoredRecord.Tombstone(new(1, 1)), 0));
        Assert.Throws<ArgumentException>(() => engine.Hints.Append("", 0, [1], StoredRecord.Tombstone(new(1, 1)), 0));
    }

    public void Dispose() => _engines.Dispose();
}
