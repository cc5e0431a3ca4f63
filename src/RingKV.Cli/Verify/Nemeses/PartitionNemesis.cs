using RingKV.Nemesis;

namespace RingKV.Cli.Verify.Nemeses;

/// <summary>
/// Network partitions between nodes that each live in their own network namespace (<see cref="NetworkLab"/>):
/// either one node is cut off from everything (coordinator included), or one node is cut off from the other nodes
/// only, still talking to the coordinator. Heal restores every link.
/// </summary>
public sealed class PartitionNemesis(NetworkLab lab) : INemesis
{
    private bool _active;

    public string Name => "partition";

    public async Task<string> InjectAsync(Random random)
    {
        var node = 1 + random.Next(lab.Count);
        _active = true;
        if (random.Next(2) == 0)
        {
            await lab.IsolateAsync(node);
            return $"isolate node-{node} (from nodes and coordinator)";
        }
        var others = Enumerable.Range(1, lab.Count).Where(i => i != node).ToArray();
        await lab.PartitionAsync([node], others);
        return $"partition node-{node} | {string.Join(",", others.Select(i => $"node-{i}"))} (coordinator still reachable)";
    }

    public async Task<string?> HealAsync()
    {
        if (!_active)
        {
            return null;
        }
        _active = false;
        await lab.HealAsync();
        return "heal the network";
    }
}
