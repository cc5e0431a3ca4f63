using RocksDbSharp;
using RocksDatabase = RocksDbSharp.RocksDb;

namespace RingKV.Storage.RocksDb.Tests;

/// <summary>Damaged data directories are refused with a <see cref="StorageException"/> that names them.</summary>
public sealed class CorruptionTests : IDisposable
{
    private readonly TestEngines _engines = new();

    [Fact]
    public void DamagedDatabaseFiles_AreRefusedAtOpen()
    {
        var directory = _engines.NewDirectory();
        _engines.OpenAt(directory).Dispose();
        File.WriteAllText(Path.Combine(directory, "CURRENT"), "garbage");

        var error = Assert.Throws<StorageException>(() => _engines.OpenAt(directory));

        Assert.Contains($"Cannot open the RocksDB database in '{Path.GetFullPath(directory)}'", error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void UndecodableRecord_IsRefusedAtOpen()
    {
        var directory = _engines.NewDirectory();
        _engines.OpenAt(directory).Dispose();
        PutRaw(directory, [0x00, 0x01, (byte)'k'], [0x09, 0x09]);

        var error = Assert.Throws<StorageException>(() => _engines.OpenAt(directory));

        Assert.Contains("00016B", error.Message);
        Assert.Contains("corrupt", error.Message);
    }

    [Fact]
    public void RecordCorruptBeyondItsHeader_ThrowsStorageExceptionWhenRead()
    {
        var directory = _engines.NewDirectory();
        _engines.OpenAt(directory).Dispose();
        // A tombstone that carries a value: its header is sound (the count at open reads only headers), the whole is not.
        PutRaw(directory, [0x00, 0x01, (byte)'k'], [.. RecordCodec.Encode(StoredRecord.Tombstone(new(1, 1))), 0x2A]);
        using var engine = _engines.OpenAt(directory);

        Assert.Throws<StorageException>(() => engine.Store.TryGet(1, "k"u8, out _));
        Assert.Throws<StorageException>(() => engine.Store.ScanSlot(1).ToList());
    }

    public void Dispose() => _engines.Dispose();

    private static void PutRaw(string directory, byte[] key, byte[] value)
    {
        var families = new ColumnFamilies(new ColumnFamilyOptions());
        families.Add(RocksDbEngine.HintsColumnFamily, new ColumnFamilyOptions());
        using var db = RocksDatabase.Open(new DbOptions(), directory, families);
        db.Put(key, value);
    }
}
