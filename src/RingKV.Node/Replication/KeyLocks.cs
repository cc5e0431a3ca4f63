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

    /// <summary>Takes the key's stripe; dispose the result (once) to release it.</summary>
    /// <remarks>An uncontended stripe is taken synchronously, with no task and no allocation: INCR and the other
    /// read-modify-write commands take it on every call.</remarks>
    public ValueTask<Held> AcquireAsync(ReadOnlyMemory<byte> key)
    {
        var stripe = _stripes[StripeOf(key.Span)];
        return stripe.Wait(0) ? new ValueTask<Held>(new Held(stripe)) : WaitAsync(stripe);
    }

    private static async ValueTask<Held> WaitAsync(SemaphoreSlim stripe)
    {
        await stripe.WaitAsync();
        return new Held(stripe);
    }

    /// <summary>A taken stripe. A struct, so taking one allocates nothing; <c>using</c> disposes it exactly once.</summary>
    public readonly struct Held(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }

    /// <summary>
    /// Locks every key of a multi-key command (MSETNX, RENAME). Stripes are taken once each and in ascending order,
    /// so two such commands never deadlock, and keys sharing a stripe do not wait for themselves.
    /// </summary>
    public async Task<IDisposable> AcquireAllAsync(IEnumerable<ReadOnlyMemory<byte>> keys)
    {
        var stripes = keys.Select(k => StripeOf(k.Span)).Distinct().Order().ToArray();
        var held = new List<IDisposable>(stripes.Length);
        try
        {
            foreach (var index in stripes)
            {
                await _stripes[index].WaitAsync();
                held.Add(new Releaser(_stripes[index]));
            }
        }
        catch
        {
            held.ForEach(h => h.Dispose());
            throw;
        }
        return new AllReleaser(held);
    }

    private int StripeOf(ReadOnlySpan<byte> key) => (int)((uint)System.IO.Hashing.XxHash32.HashToUInt32(key) % (uint)_stripes.Length);

    private sealed class AllReleaser(List<IDisposable> held) : IDisposable
    {
        public void Dispose() => held.ForEach(h => h.Dispose());
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
