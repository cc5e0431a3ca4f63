namespace RingKV.Storage.RocksDb.Tests;

/// <summary>Which directories the engine agrees to use, and the <c>RINGKV</c> marker that decides it.</summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly TestEngines _engines = new();

    [Fact]
    public void MissingDirectory_IsCreatedWithAMarkerNamingTheNode()
    {
        var directory = Path.Combine(_engines.NewDirectory(), "nested");

        using var engine = _engines.OpenAt(directory, new RocksDbEngineOptions { NodeId = "node-a" });

        var marker = File.ReadAllLines(Path.Combine(directory, "RINGKV"));
        Assert.Contains("format=1", marker);
        Assert.Contains("node=node-a", marker);
        Assert.Equal(Path.GetFullPath(directory), engine.DataDirectory);
    }

    [Fact]
    public void EmptyExistingDirectory_IsClaimed()
    {
        var directory = _engines.NewDirectory();
        Directory.CreateDirectory(directory);

        using var engine = _engines.OpenAt(directory);

        Assert.True(File.Exists(Path.Combine(directory, "RINGKV")));
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(directory, "RINGKV")), line => line.StartsWith("node=", StringComparison.Ordinal));
    }

    [Fact]
    public void ForeignNonEmptyDirectory_IsRefused_AndLeftUntouched()
    {
        var directory = _engines.NewDirectory();
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "notes.txt"), "someone's files");

        var error = Assert.Throws<StorageException>(() => _engines.OpenAt(directory));

        Assert.Contains("is not a RingKV data directory (no RINGKV marker); refusing to use it", error.Message);
        Assert.Contains(Path.GetFullPath(directory), error.Message);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }

    [Fact]
    public void OtherNodesDirectory_IsRefused()
    {
        var directory = _engines.NewDirectory();
        _engines.OpenAt(directory, new RocksDbEngineOptions { NodeId = "node-a" }).Dispose();

        var error = Assert.Throws<StorageException>(() => _engines.OpenAt(directory, new RocksDbEngineOptions { NodeId = "node-b" }));

        Assert.Contains("belongs to node node-a, not node-b", error.Message);
    }

    [Fact]
    public void SameNode_OrNoNodeIdGiven_IsAccepted()
    {
        var directory = _engines.NewDirectory();
        _engines.OpenAt(directory, new RocksDbEngineOptions { NodeId = "node-a" }).Dispose();

        _engines.OpenAt(directory, new RocksDbEngineOptions { NodeId = "node-a" }).Dispose();
        _engines.OpenAt(directory).Dispose();
    }

    [Fact]
    public void MarkerOfUnknownFormat_IsRefused()
    {
        var directory = _engines.NewDirectory();
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "RINGKV"), "format=2\nnode=node-a\n");

        var error = Assert.Throws<StorageException>(() => _engines.OpenAt(directory));

        Assert.Contains("format 2", error.Message);
    }

    [Fact]
    public void PathOfAFile_IsRefused()
    {
        var file = _engines.NewDirectory();
        File.WriteAllText(file, "not a directory");

        var error = Assert.Throws<StorageException>(() => _engines.OpenAt(file));

        Assert.Contains("is a file", error.Message);
    }

    [Fact]
    public void NodeIdWithLineBreak_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => _engines.Open(new RocksDbEngineOptions { NodeId = "a\nformat=9" }));
        Assert.Throws<ArgumentException>(() => _engines.Open(new RocksDbEngineOptions { NodeId = "" }));
    }

    [Fact]
    public void SecondOpenInTheSameProcess_IsRefusedByTheLock()
    {
        var directory = _engines.NewDirectory();
        using var first = _engines.OpenAt(directory);

        var error = Assert.Throws<StorageException>(() => _engines.OpenAt(directory));

        Assert.Contains(Path.GetFullPath(directory), error.Message);
        Assert.Contains("lock", error.Message, StringComparison.OrdinalIgnoreCase);
        first.Store.Apply(0, [1], StoredRecord.Tombstone(new(1, 1)));
    }

    [Fact]
    public void OpenWhileAnotherProcessHoldsTheDirectory_IsRefusedByTheLock()
    {
        var directory = _engines.NewDirectory();
        using var writer = CrashWriterProcess.Start(directory, FsyncPolicy.No, count: 0);
        writer.WaitForLine("done", TimeSpan.FromSeconds(60));

        var error = Assert.Throws<StorageException>(() => _engines.OpenAt(directory));

        Assert.Contains("lock", error.Message, StringComparison.OrdinalIgnoreCase);
        writer.CloseInputAndWait(TimeSpan.FromSeconds(60));
        _engines.OpenAt(directory).Dispose();
    }

    public void Dispose() => _engines.Dispose();
}
