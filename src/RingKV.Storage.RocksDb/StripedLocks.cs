namespace RingKV.Storage.RocksDb;

/// <summary>
/// A fixed array of locks picked by a hash of the bytes they guard. RocksDB has no compare-and-swap, so a
/// read-compare-write of one key must hold that key's stripe; unrelated keys rarely share a stripe, and a shared
/// stripe only serialises them, it never gives a wrong answer. Thread-safe.
/// </summary>
internal sealed class StripedLocks
{
    private readonly Lock[] _locks;

    /// <param name="count">Number of stripes; a power of two.</param>
    public StripedLocks(int count)
    {
        if (count <= 0 || (count & (count - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The stripe count must be a power of two.");
        }

        _locks = new Lock[count];
        for (var i = 0; i < count; i++)
        {
            _locks[i] = new Lock();
        }
    }

    /// <summary>The stripe guarding <paramref name="bytes"/>.</summary>
    public Lock For(ReadOnlySpan<byte> bytes)
    {
        // HashCode is seeded per process, so clients cannot pick keys that all land on one stripe.
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return _locks[hash.ToHashCode() & (_locks.Length - 1)];
    }

    /// <summary>
    /// Takes every stripe, in index order; callers holding at most one stripe cannot deadlock with it.
    /// Pair with <see cref="ExitAll"/>.
    /// </summary>
    public void EnterAll()
    {
        foreach (var stripe in _locks)
        {
            stripe.Enter();
        }
    }

    public void ExitAll()
    {
        for (var i = _locks.Length - 1; i >= 0; i--)
        {
            _locks[i].Exit();
        }
    }
}
