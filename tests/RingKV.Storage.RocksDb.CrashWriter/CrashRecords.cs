using System.Text;
using RingKV.Storage.Versioning;

namespace RingKV.Storage.RocksDb.CrashWriter;

/// <summary>The records the crash writer stores, so the test can check them: write <c>i</c> is fully determined by <c>i</c>.</summary>
public static class CrashRecords
{
    public const string NodeId = "crash-writer";

    public static int Slot(int i) => i * 7 % StorageSlots.Count;

    public static byte[] Key(int i) => Encoding.UTF8.GetBytes($"key-{i}");

    public static StoredRecord Record(int i) =>
        StoredRecord.ForValue(new RecordVersion((ulong)i + 1, 1), Encoding.UTF8.GetBytes($"value-{i}-{new string('x', i % 100)}"));
}
