using RingKV.Cli.Local;
using RingKV.Cli.Verify.Nemeses;

namespace RingKV.IntegrationTests.Consistency;

/// <summary>
/// Injects nothing while the workload runs; when the run heals at its end, kills one node with SIGKILL and starts it
/// again. Used with the planted replication bug: whatever only that node held is gone.
/// </summary>
public sealed class CrashAtEndNemesis(LocalCluster cluster, string victim) : INemesis
{
    private bool _done;

    public string Name => "crash-at-end";

    public Task<string> InjectAsync(Random random) => Task.FromResult("nothing (waits for the end)");

    public async Task<string?> HealAsync()
    {
        if (_done)
        {
            return null;
        }
        _done = true;
        cluster.Node(victim).Kill();
        await cluster.RestartNodeAsync(victim);
        return $"kill -9 and restart {victim}";
    }
}
