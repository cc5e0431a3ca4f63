using RingKV.Storage.Tests;

namespace RingKV.Storage.RocksDb.Tests;

public sealed class RocksDbKeyValueStoreTests : KeyValueStoreContract, IDisposable
{
    private readonly TestEngines _engines = new();

    protected override IKeyValueStore CreateStore() => _engines.Open().Store;

    public void Dispose() => _engines.Dispose();
}
