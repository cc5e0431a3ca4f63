namespace RingKV.Nemesis;

// The faults: isolation (a namespace's link goes down) and partitions (blackhole routes between namespaces).
public sealed partial class NetworkLab
{
    private readonly SemaphoreSlim _faults = new(1, 1);
    private readonly SortedSet<int> _isolated = [];
    private readonly HashSet<(int From, int To)> _blackholes = [];

    /// <summary>
    /// Cuts namespace i off from everything, the root namespace (test, coordinator) included: its bridge port goes
    /// down. Its processes keep running and keep their sockets; their packets go nowhere, so peers and the
    /// coordinator run into timeouts, as with a pulled cable. Isolating twice is harmless.
    /// </summary>
    /// <exception cref="IpCommandException">The link could not be set down.</exception>
    public async Task IsolateAsync(int i, CancellationToken cancellationToken = default)
    {
        Check(i);
        await _faults.WaitAsync(cancellationToken);
        try
        {
            await IpCommand.RunAsync(["link", "set", "dev", VethName(i), "down"], cancellationToken);
            _isolated.Add(i);
        }
        finally
        {
            _faults.Release();
        }
    }

    /// <summary>
    /// Every namespace of <paramref name="sideA"/> loses every namespace of <paramref name="sideB"/> and the other
    /// way round, through a blackhole route for each peer's /32 inside each namespace. Both sides keep the root
    /// namespace (test and coordinator) and their own side. New connections across the cut fail at once
    /// (the kernel refuses to send on a blackhole route); open ones stall until their timeouts. Adds to earlier cuts.
    /// </summary>
    /// <exception cref="ArgumentException">The sides overlap or an index is out of range.</exception>
    /// <exception cref="IpCommandException">A route could not be added; the ones added before stay until <see cref="HealAsync"/>.</exception>
    public async Task PartitionAsync(IEnumerable<int> sideA, IEnumerable<int> sideB, CancellationToken cancellationToken = default)
    {
        var a = sideA.Select(Check).ToHashSet();
        var b = sideB.Select(Check).ToHashSet();
        if (a.Overlaps(b))
        {
            throw new ArgumentException($"a namespace can not be on both sides of a partition: {string.Join(",", a.Intersect(b))}", nameof(sideB));
        }
        await _faults.WaitAsync(cancellationToken);
        try
        {
            foreach (var x in a)
            {
                foreach (var y in b)
                {
                    await BlackholeAsync(x, y, cancellationToken);
                    await BlackholeAsync(y, x, cancellationToken);
                }
            }
        }
        finally
        {
            _faults.Release();
        }
    }

    /// <summary>Undoes every isolation and partition; afterwards the lab is as <see cref="CreateAsync"/> left it.</summary>
    /// <exception cref="AggregateException">Some of the undo steps failed (each an <see cref="IpCommandException"/>); all were tried.</exception>
    public async Task HealAsync(CancellationToken cancellationToken = default)
    {
        await _faults.WaitAsync(cancellationToken);
        try
        {
            var errors = new List<Exception>();
            foreach (var i in _isolated.ToList())
            {
                if (await TryFaultAsync(["link", "set", "dev", VethName(i), "up"], errors, cancellationToken))
                {
                    _isolated.Remove(i);
                }
            }
            foreach (var (from, to) in _blackholes.ToList())
            {
                if (await TryFaultAsync(["-n", NamespaceName(from), "route", "delete", "blackhole", $"{Address(to)}/32"], errors, cancellationToken))
                {
                    _blackholes.Remove((from, to));
                }
            }
            if (errors.Count > 0)
            {
                throw new AggregateException($"healing {Id} failed in {errors.Count} step(s)", errors);
            }
        }
        finally
        {
            _faults.Release();
        }
    }

    private async Task BlackholeAsync(int from, int to, CancellationToken cancellationToken)
    {
        // "ip route add" refuses a route that exists; the set makes repeated partitions idempotent.
        if (_blackholes.Contains((from, to)))
        {
            return;
        }
        await IpCommand.RunAsync(["-n", NamespaceName(from), "route", "add", "blackhole", $"{Address(to)}/32"], cancellationToken);
        _blackholes.Add((from, to));
    }

    private static async Task<bool> TryFaultAsync(IReadOnlyList<string> arguments, List<Exception> errors, CancellationToken cancellationToken)
    {
        try
        {
            await IpCommand.RunAsync(arguments, cancellationToken);
            return true;
        }
        catch (IpCommandException ex)
        {
            errors.Add(ex);
            return false;
        }
    }
}
