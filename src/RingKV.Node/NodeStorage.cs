using RingKV.Storage;
using RingKV.Storage.Hints;
using RingKV.Storage.InMemory;

namespace RingKV.Node;

/// <summary>The node's records and hints, from the engine chosen by <see cref="NodeOptions.Storage"/>.</summary>
public sealed class NodeStorage : IDisposable
{
    private readonly IDisposable? _engine;

    private NodeStorage(IKeyValueStore records, IHintStore hints, IDisposable? engine)
    {
        Records = records;
        Hints = hints;
        _engine = engine;
    }

    public IKeyValueStore Records { get; }

    public IHintStore Hints { get; }

    /// <exception cref="StorageException">The data directory is foreign, corrupt, locked by another process, or unusable.</exception>
    public static NodeStorage Open(NodeOptions options) => options.Storage switch
    {
        StorageKind.Memory => new NodeStorage(new InMemoryKeyValueStore(), new InMemoryHintStore(), null),
        _ => OpenRocksDb(options),
    };

    private static NodeStorage OpenRocksDb(NodeOptions options)
    {
        var engine = new Storage.RocksDb.RocksDbEngine(options.DataDirectory, new Storage.RocksDb.RocksDbEngineOptions { Fsync = options.Fsync, NodeId = options.Id });
        return new NodeStorage(engine.Store, engine.Hints, engine);
    }

    public void Dispose()
    {
        if (_engine is null)
        {
            Records.Dispose();
            Hints.Dispose();
        }
        else
        {
            _engine.Dispose();
        }
    }
}
