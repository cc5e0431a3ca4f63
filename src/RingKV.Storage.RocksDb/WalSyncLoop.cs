namespace RingKV.Storage.RocksDb;

/// <summary>
/// A background thread that runs an action at a fixed interval until disposed: the "everysec" WAL sync. A dedicated
/// thread rather than a timer because runs must never overlap (a slow fsync simply delays the next one) and
/// <see cref="Dispose"/> must know the last run has finished.
/// </summary>
/// <remarks>The action must not throw; it runs on this loop's thread only.</remarks>
internal sealed class WalSyncLoop : IDisposable
{
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private readonly TimeSpan _interval;
    private readonly Action _action;

    public WalSyncLoop(TimeSpan interval, Action action)
    {
        _interval = interval;
        _action = action;
        _thread = new Thread(Run) { IsBackground = true, Name = "ringkv-wal-sync" };
        _thread.Start();
    }

    /// <summary>Stops the loop and waits for a run in progress to finish.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(_interval))
        {
            _action();
        }
    }
}
