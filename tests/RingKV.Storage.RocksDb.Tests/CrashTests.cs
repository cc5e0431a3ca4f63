using RingKV.Storage.RocksDb.CrashWriter;

namespace RingKV.Storage.RocksDb.Tests;

/// <summary>
/// A writer process killed with SIGKILL mid-way loses no write it acknowledged. Every policy must pass: a process
/// crash leaves the operating system holding the write-ahead log, synced or not (a machine crash is not simulated).
/// </summary>
public sealed class CrashTests : IDisposable
{
    private const int AcksBeforeKill = 1000;

    private readonly TestEngines _engines = new();

    [Theory]
    [InlineData(FsyncPolicy.Always, 20_000)]
    [InlineData(FsyncPolicy.EverySecond, 1_000_000)]
    [InlineData(FsyncPolicy.No, 1_000_000)]
    public void KilledWriter_EveryAcknowledgedWriteSurvives(FsyncPolicy fsync, int writes)
    {
        var directory = _engines.NewDirectory();
        using var writer = CrashWriterProcess.Start(directory, fsync, writes);
        writer.WaitUntil(lines => lines.Count >= AcksBeforeKill + 1, TimeSpan.FromSeconds(120), $"{AcksBeforeKill} acks");

        writer.Kill();

        var acked = writer.Lines.Where(line => line.StartsWith("acked ", StringComparison.Ordinal))
            .Select(line => int.Parse(line["acked ".Length..]))
            .ToList();
        Assert.True(acked.Count >= AcksBeforeKill, writer.Output);
        Assert.True(acked.Count < writes, $"the writer finished before the kill, so nothing was tested mid-way\n{writer.Output}");
        Assert.Equal(Enumerable.Range(0, acked.Count), acked);

        using var engine = _engines.OpenAt(directory, new RocksDbEngineOptions { Fsync = fsync, NodeId = CrashRecords.NodeId });
        var missing = acked.Where(i => !engine.Store.TryGet(CrashRecords.Slot(i), CrashRecords.Key(i), out var record)
                || !record.Value.AsSpan().SequenceEqual(CrashRecords.Record(i).Value)
                || record.Version != CrashRecords.Record(i).Version)
            .ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} of {acked.Count} acknowledged writes are missing or wrong after the kill, first: key-{missing.FirstOrDefault()}\n{writer.Output}");
        Assert.True(engine.Store.CountLive(0) >= acked.Count);
    }

    public void Dispose() => _engines.Dispose();
}
