using RingKV.Storage.InMemory;

namespace RingKV.Storage.Tests.InMemory;

public class InMemoryKeyValueStoreTests : KeyValueStoreContract
{
    protected override IKeyValueStore CreateStore() => new InMemoryKeyValueStore();
}
