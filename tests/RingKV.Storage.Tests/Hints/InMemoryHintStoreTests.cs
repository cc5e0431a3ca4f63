using RingKV.Storage.Hints;

namespace RingKV.Storage.Tests.Hints;

public class InMemoryHintStoreTests : HintStoreContract
{
    protected override IHintStore CreateStore() => new InMemoryHintStore();
}
