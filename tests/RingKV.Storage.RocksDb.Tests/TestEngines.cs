namespace RingKV.Storage.RocksDb.Tests;

/// <summary>
/// A temporary root directory for one test plus every engine the test opens in it; <see cref="Dispose"/> closes the
/// engines and deletes the directory. Not thread-safe (one per test).
/// </summary>
public sealed class TestEngines : IDisposable
{
    private readonly List<RocksDbEngine> _engines = [];
    private int _directories;

    public TestEngines()
    {
        Root = Path.Combine(Path.GetTempPath(), "ringkv-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A path under <see cref="Root"/> that does not exist yet.</summary>
    public string NewDirectory() => Path.Combine(Root, $"data-{++_directories}");

    /// <summary>Opens an engine in a new directory.</summary>
    public RocksDbEngine Open(RocksDbEngineOptions? options = null) => OpenAt(NewDirectory(), options);

    /// <summary>Opens an engine in <paramref name="directory"/>; it is disposed with this object unless disposed earlier.</summary>
    public RocksDbEngine OpenAt(string directory, RocksDbEngineOptions? options = null)
    {
        var engine = new RocksDbEngine(directory, options);
        _engines.Add(engine);
        return engine;
    }

    public void Dispose()
    {
        foreach (var engine in _engines)
        {
            engine.Dispose();
        }

        Directory.Delete(Root, recursive: true);
    }
}
