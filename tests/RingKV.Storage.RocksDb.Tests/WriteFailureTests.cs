using System.Diagnostics;
using System.Text;
using RingKV.Storage.Versioning;

namespace RingKV.Storage.RocksDb.Tests;

/// <summary>
/// A write the disk refuses surfaces as <see cref="StorageException"/> and is not acknowledged, on a real full
/// file system: a small tmpfs mounted for the test (our machines run tests as root).
/// </summary>
public sealed class WriteFailureTests : IDisposable
{
    private readonly TestEngines _engines = new();

    [Fact]
    public void DiskFull_ApplyAndAppendThrowStorageException_AndEveryAcknowledgedWriteIsReadable()
    {
        var mountPoint = _engines.NewDirectory();
        Directory.CreateDirectory(mountPoint);
        Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint);
        RocksDbEngine? engine = null;
        try
        {
            engine = _engines.OpenAt(Path.Combine(mountPoint, "data"), new RocksDbEngineOptions { Fsync = FsyncPolicy.Always });
            var value = new byte[64 * 1024];
            var acknowledged = 0;
            StorageException? failure = null;
            for (var i = 0; i < 1000 && failure is null; i++)
            {
                try
                {
                    engine.Store.Apply(i % StorageSlots.Count, Key(i), StoredRecord.ForValue(new RecordVersion(1, 1), value));
                    acknowledged++;
                }
                catch (StorageException ex)
                {
                    failure = ex;
                }
            }

            Assert.NotNull(failure);
            Assert.Contains(engine.DataDirectory, failure.Message);
            Assert.True(acknowledged > 0, "the file system was full before the first write");
            for (var i = 0; i < acknowledged; i++)
            {
                Assert.True(engine.Store.TryGet(i % StorageSlots.Count, Key(i), out var record), $"acknowledged write {i} is missing");
                Assert.Equal(value.Length, record.Value.Length);
            }

            Assert.False(engine.Store.TryGet(acknowledged % StorageSlots.Count, Key(acknowledged), out _));
            Assert.Throws<StorageException>(() => engine.Hints.Append("b", 0, Key(0), StoredRecord.ForValue(new RecordVersion(2, 1), value), 0));
        }
        finally
        {
            // The engine holds files on the mount: close it first, or the unmount fails and the mount leaks.
            engine?.Dispose();
            Run("umount", mountPoint);
        }
    }

    public void Dispose() => _engines.Dispose();

    private static byte[] Key(int i) => Encoding.UTF8.GetBytes($"key-{i}");

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors}");
    }
}
