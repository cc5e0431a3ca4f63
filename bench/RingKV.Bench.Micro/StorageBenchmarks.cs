using BenchmarkDotNet.Attributes;
using RingKV.Placement;
using RingKV.Storage;
using RingKV.Storage.InMemory;
using RingKV.Storage.RocksDb;
using RingKV.Storage.Versioning;

namespace RingKV.Bench.Micro;

/// <summary>
/// The storage engines under a node's reads and writes: <c>TryGet</c> of a stored key and <c>Apply</c> of a newer
/// 100-byte record over a stored key, cycling through 10,000 pre-populated keys. In-memory is a cache node's engine;
/// RocksDB (in a temporary directory, fsync policy <c>no</c>, so the write-ahead log reaches the OS but no disk sync
/// is timed) is the default durable one. Each <c>Apply</c> creates its <see cref="StoredRecord"/> (one small object,
/// the value array is shared) as a SET does, so that object is in the Allocated column.
/// </summary>
[MemoryDiagnoser]
public class StorageBenchmarks
{
    private const int Keys = 10_000;

    private readonly byte[] _value = Values.Payload(100);
    private byte[][] _keys = [];
    private int[] _slots = [];
    private IKeyValueStore _store = null!;
    private RocksDbEngine? _engine;
    private string? _directory;
    private ulong _timestamp;
    private int _next;

    [Params("memory", "rocksdb")]
    public string Engine { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        if (Engine == "rocksdb")
        {
            _directory = Path.Combine(Path.GetTempPath(), "ringkv-bench-micro", Guid.NewGuid().ToString("N"));
            _engine = new RocksDbEngine(_directory, new RocksDbEngineOptions { Fsync = FsyncPolicy.No });
            _store = _engine.Store;
        }
        else
        {
            _store = new InMemoryKeyValueStore();
        }
        _keys = [.. Enumerable.Range(0, Keys).Select(Values.Key)];
        _slots = [.. _keys.Select(k => HashSlot.ForKey(k))];
        for (var i = 0; i < Keys; i++)
        {
            _store.Apply(_slots[i], _keys[i], NextRecord());
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _engine?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Benchmark]
    public bool TryGet()
    {
        var i = NextKey();
        return _store.TryGet(_slots[i], _keys[i], out _);
    }

    [Benchmark]
    public ApplyResult Apply()
    {
        var i = NextKey();
        return _store.Apply(_slots[i], _keys[i], NextRecord());
    }

    private int NextKey() => _next = _next == Keys - 1 ? 0 : _next + 1;

    /// <summary>A value record newer than every earlier one, so each Apply supersedes what the key holds.</summary>
    private StoredRecord NextRecord() => StoredRecord.ForValue(new RecordVersion(++_timestamp, 1), _value);
}
