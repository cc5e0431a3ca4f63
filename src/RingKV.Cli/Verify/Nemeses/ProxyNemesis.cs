using RingKV.Nemesis;

namespace RingKV.Cli.Verify.Nemeses;

/// <summary>
/// Slow and lossy links between nodes: every node advertises a <see cref="FaultProxy"/> in front of itself, so
/// its peers reach it through the proxy while clients connect directly. A fault makes one node's proxy add latency
/// (around the peer timeout, so requests time out and fail over), stall chunks as lost packets would, or swallow
/// everything (a one-node partition seen from its peers). Heal passes traffic through again.
/// </summary>
public sealed class ProxyNemesis(IReadOnlyList<FaultProxy> proxies) : INemesis
{
    private FaultProxy? _faulty;

    public string Name => "proxy";

    public Task<string> InjectAsync(Random random)
    {
        var index = random.Next(proxies.Count);
        _faulty = proxies[index];
        string what;
        switch (random.Next(3))
        {
            case 0:
                var latency = TimeSpan.FromMilliseconds(random.Next(100, 600));
                _faulty.Delay(latency, TimeSpan.FromMilliseconds(50));
                what = $"delay {latency.TotalMilliseconds:0} ms";
                break;
            case 1:
                _faulty.Loss(0.3, TimeSpan.FromMilliseconds(250));
                what = "lose 30% of chunks (250 ms stalls)";
                break;
            default:
                _faulty.Blackhole();
                what = "blackhole";
                break;
        }
        return Task.FromResult($"links to node-{index + 1}: {what}");
    }

    public Task<string?> HealAsync()
    {
        if (_faulty is not { } proxy)
        {
            return Task.FromResult<string?>(null);
        }
        _faulty = null;
        proxy.Pass();
        return Task.FromResult<string?>("links pass again");
    }
}
