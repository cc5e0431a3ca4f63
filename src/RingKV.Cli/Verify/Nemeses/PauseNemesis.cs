using RingKV.Cli.Local;

namespace RingKV.Cli.Verify.Nemeses;

/// <summary>
/// SIGSTOP a random node and SIGCONT it on heal: a process frozen with its sockets open (a long GC pause, a VM
/// stall) that wakes up and carries on with whatever it was doing, possibly on an old view of the cluster.
/// </summary>
public sealed class PauseNemesis(LocalCluster cluster) : INemesis
{
    private ManagedProcess? _paused;

    public string Name => "pause";

    public Task<string> InjectAsync(Random random)
    {
        var running = cluster.Nodes.Where(n => !n.HasExited).ToList();
        _paused = running[random.Next(running.Count)];
        _paused.Pause(true);
        return Task.FromResult($"SIGSTOP {_paused.Name}");
    }

    public Task<string?> HealAsync()
    {
        if (_paused is not { } node)
        {
            return Task.FromResult<string?>(null);
        }
        _paused = null;
        node.Pause(false);
        return Task.FromResult<string?>($"SIGCONT {node.Name}");
    }
}
