using RingKV.Cli.Local;
using RingKV.Net;

namespace RingKV.Cli.Verify.Nemeses;

/// <summary>
/// Moves a random node's wall clock up to two minutes ahead or behind (<c>RKV.FAULT CLOCK-OFFSET</c>, nodes run
/// with <c>--fault-injection</c>), and back on heal. Versions are hybrid logical clocks, so a node whose clock is
/// behind still orders its writes after what it has seen; one that is ahead makes its writes win ties for longer.
/// </summary>
public sealed class ClockNemesis(LocalCluster cluster) : INemesis
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private ManagedProcess? _skewed;

    public string Name => "clock";

    public async Task<string> InjectAsync(Random random)
    {
        var running = cluster.Nodes.Where(n => !n.HasExited).ToList();
        var node = running[random.Next(running.Count)];
        var offsetMs = (random.Next(2) == 0 ? -1 : 1) * random.Next(10_000, 120_000);
        await SetOffsetAsync(node, offsetMs);
        _skewed = node;
        return $"clock of {node.Name} {offsetMs:+0;-0} ms";
    }

    public async Task<string?> HealAsync()
    {
        if (_skewed is not { } skewed)
        {
            return null;
        }
        _skewed = null;
        await SetOffsetAsync(skewed, 0);
        return $"clock of {skewed.Name} reset";
    }

    private static async Task SetOffsetAsync(ManagedProcess node, long offsetMs)
    {
        await using var connection = await RespConnection.ConnectAsync(node.Host, node.Port, Timeout, commandTimeout: Timeout);
        var reply = await connection.ExecuteAsync("RKV.FAULT", "CLOCK-OFFSET", offsetMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (reply.IsError)
        {
            throw new InvalidOperationException($"RKV.FAULT on {node.Name}: {reply.AsString()}");
        }
    }
}
