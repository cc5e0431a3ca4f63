using RingKV.Cli.Local;

namespace RingKV.Cli.Verify.Nemeses;

/// <summary>kill -9 a random node (no shutdown, no flush: a crash), and restart it with the same id and data on heal.</summary>
public sealed class KillNemesis(LocalCluster cluster) : INemesis
{
    private string? _killed;

    public string Name => "kill";

    public Task<string> InjectAsync(Random random)
    {
        var running = cluster.Nodes.Where(n => !n.HasExited).ToList();
        var victim = running[random.Next(running.Count)];
        victim.Kill();
        _killed = victim.Name;
        return Task.FromResult($"kill -9 {victim.Name}");
    }

    public async Task<string?> HealAsync()
    {
        if (_killed is not { } name)
        {
            return null;
        }
        _killed = null;
        await cluster.RestartNodeAsync(name);
        return $"restart {name}";
    }
}
