using RingKV.Storage.Versioning;
using RocksDbSharp;
using RocksDatabase = RocksDbSharp.RocksDb;

namespace RingKV.Storage.RocksDb.Tests;

/// <summary>
/// Golden tests: the exact bytes the engine leaves in RocksDB, read back with plain RocksDbSharp after the engine
/// closed. A failure here means existing data directories would no longer read correctly: change the layout only
/// with a migration.
/// </summary>
public sealed class OnDiskLayoutTests : IDisposable
{
    private static readonly StoredRecord Record =
        StoredRecord.ForValue(new RecordVersion(0x0102030405060708, 0x0A0B0C0D), "hello"u8.ToArray(), expiresAtMs: 1_700_000_000_000);

    // RecordCodec format 1: format, timestamp, node tag, flags, expiry, value.
    private const string RecordHex = "01" + "0102030405060708" + "0A0B0C0D" + "00" + "0000018BCFE56800" + "68656C6C6F";

    private readonly TestEngines _engines = new();

    [Fact]
    public void Record_IsStoredUnderBigEndianSlotPrefixAndKey_AsRecordCodecBytes()
    {
        var directory = _engines.NewDirectory();
        using (var engine = _engines.OpenAt(directory))
        {
            engine.Store.Apply(1234, "user:42"u8, Record);
        }

        var entries = ReadRaw(directory, family: null);

        var (key, value) = Assert.Single(entries);
        Assert.Equal("04D2" + "757365723A3432", Convert.ToHexString(key));
        Assert.Equal(RecordHex, Convert.ToHexString(value));
    }

    [Fact]
    public void Slots_SortAsContiguousRangesInSlotOrder()
    {
        var directory = _engines.NewDirectory();
        using (var engine = _engines.OpenAt(directory))
        {
            engine.Store.Apply(256, "a"u8, Record);
            engine.Store.Apply(1, "zz"u8, Record);
            engine.Store.Apply(StorageSlots.Count - 1, ""u8, Record);
            engine.Store.Apply(1, "b"u8, Record);
        }

        var keys = ReadRaw(directory, family: null).Select(e => Convert.ToHexString(e.Key));

        Assert.Equal(["000162", "00017A7A", "010061", "3FFF"], keys);
    }

    [Fact]
    public void Hint_IsStoredUnderTargetZeroSequence_WithSlotTimeKeyAndRecord()
    {
        var directory = _engines.NewDirectory();
        using (var engine = _engines.OpenAt(directory))
        {
            engine.Hints.Append("node-b", 1234, "user:42"u8, Record, nowMs: 1_700_000_000_123);
        }

        var entries = ReadRaw(directory, RocksDbEngine.HintsColumnFamily)
            .ToDictionary(e => Convert.ToHexString(e.Key), e => Convert.ToHexString(e.Value));

        Assert.Equal(2, entries.Count);
        // "\0sequence-ceiling": the first block of 1024 sequences was reserved before the first hint was written.
        Assert.Equal("0000000000000400", entries["00" + "73657175656E63652D6365696C696E67"]);
        Assert.Equal(
            "01" + "04D2" + "0000018BCFE5687B" + "00000007" + "757365723A3432" + RecordHex,
            entries["6E6F64652D62" + "00" + "0000000000000001"]);
    }

    public void Dispose() => _engines.Dispose();

    private static List<(byte[] Key, byte[] Value)> ReadRaw(string directory, string? family)
    {
        var families = new ColumnFamilies(new ColumnFamilyOptions());
        families.Add(RocksDbEngine.HintsColumnFamily, new ColumnFamilyOptions());
        using var db = RocksDatabase.OpenReadOnly(new DbOptions(), directory, families, errIfLogFileExists: false);
        var handle = family is null ? db.GetDefaultColumnFamily() : db.GetColumnFamily(family);
        var entries = new List<(byte[], byte[])>();
        using var iterator = db.NewIterator(handle);
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            entries.Add((iterator.Key(), iterator.Value()));
        }

        return entries;
    }
}
