namespace RingKV.Node.Replication;

/// <summary>
/// Striped async locks that serialize read-then-write commands (SET NX/XX/GET, DEL) on one key at its primary,
/// so two concurrent conditional writes can not both see "absent". Plain SETs do not take them: their HLC
/// versions already order them. Striping bounds memory; two keys sharing a stripe only wait for each other.
/// </summary>
public sealed class KeyLocks
{
    private readonly SemaphoreSlim[] _stripes;

    public KeyLocks(int stripes = 1024)
    {
        _stripes = new SemaphoreSlim[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    public async Task<IDisposable> AcquireAsync(ReadOnlyMemory<byte> key)
    {
        var stripe = _stripes[(uint)System.IO.Hashing.XxHash32.HashToUInt32(key.Span) % (uint)_stripes.Length];
        await stripe.WaitAsync();
        return new Releaser(stripe);
    }

    private sealed class Releaser(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
