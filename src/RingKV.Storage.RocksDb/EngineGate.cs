namespace RingKV.Storage.RocksDb;

/// <summary>
/// Tracks the calls in flight on one <see cref="RocksDbEngine"/> so that <see cref="CloseAndDrain"/> returns only once
/// none of them can still touch the native database. This matters because a native call on a closed RocksDB handle
/// does not throw: it corrupts memory or kills the process.
/// </summary>
/// <remarks>
/// Thread-safe and lock-free: entering costs two interlocked operations. It works like Dekker's handshake: a caller
/// increments the count and then reads the closed flag, the closer sets the flag and then reads the count, and both
/// use full fences, so either the caller sees the flag (and backs out) or the closer sees the caller (and waits).
/// </remarks>
internal sealed class EngineGate
{
    private int _active;
    private int _closed;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Registers a call in flight; dispose the scope when the call no longer uses the database.</summary>
    /// <exception cref="ObjectDisposedException">The engine is disposed or being disposed.</exception>
    public Scope Enter()
    {
        ObjectDisposedException.ThrowIf(!TryEnter(), typeof(RocksDbEngine));
        return new Scope(this);
    }

    /// <summary>Like <see cref="Enter"/> but returns false instead of throwing; call <see cref="Exit"/> after true.</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _closed) == 0)
        {
            return true;
        }

        Interlocked.Decrement(ref _active);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _active);

    /// <summary>
    /// Refuses new calls, then waits for the ones in flight. Calls are short except whole-store scans
    /// (<see cref="RocksDbKeyValueStore.CountLive"/>, <see cref="RocksDbKeyValueStore.Clear"/>), which it waits for too.
    /// </summary>
    public void CloseAndDrain()
    {
        Interlocked.Exchange(ref _closed, 1);
        var wait = new SpinWait();
        while (Volatile.Read(ref _active) != 0)
        {
            wait.SpinOnce();
        }
    }

    /// <summary>One call in flight; <see cref="Dispose"/> ends it. Use with <c>using</c> on the stack.</summary>
    public readonly ref struct Scope
    {
        private readonly EngineGate _gate;

        public Scope(EngineGate gate) => _gate = gate;

        public void Dispose() => _gate.Exit();
    }
}
