using RingKV.Cli.Admin;
using RingKV.Cli.Local;

namespace RingKV.Cli.Verify.Nemeses;

/// <summary>
/// Membership churn under load: a new node joins (its slots are copied to it while clients write), and on heal it is
/// decommissioned again (its slots are copied back out) and stopped once it has left the map.
/// </summary>
public sealed class JoinLeaveNemesis(LocalCluster cluster) : INemesis
{
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(60);
    private ManagedProcess? _joined;

    public string Name => "join-leave";

    public async Task<string> InjectAsync(Random random)
    {
        _joined = await cluster.AddNodeAsync();
        return $"join {_joined.Name}";
    }

    public async Task<string?> HealAsync()
    {
        if (_joined is not { } node)
        {
            return null;
        }
        _joined = null;
        await using var admin = new AdminConnection(cluster.CoordinatorEndpoint);
        var reply = await admin.ExecuteAsync(["DECOMMISSION", node.Name]);
        if (reply.IsError)
        {
            throw new InvalidOperationException($"DECOMMISSION {node.Name}: {reply.AsString()}");
        }
        var deadline = DateTime.UtcNow + LeaveTimeout;
        while ((await admin.MapAsync()).Find(node.Name) is not null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{node.Name} did not leave the map within {LeaveTimeout}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        await node.StopAsync(TimeSpan.FromSeconds(10));
        return $"decommission {node.Name} (left the map)";
    }
}
