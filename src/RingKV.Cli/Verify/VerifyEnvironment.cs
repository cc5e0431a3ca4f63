using System.Net;
using RingKV.Cli.Local;
using RingKV.Cli.Verify.Nemeses;
using RingKV.Nemesis;

namespace RingKV.Cli.Verify;

/// <summary>
/// A local cluster set up for one nemesis, and the nemesis itself: plain processes for kill, pause, clock and
/// join-leave; nodes in network namespaces for partition (needs root and <c>ip netns</c>); a fault proxy in front of
/// every node's peer port for proxy. Disposing stops the cluster and removes namespaces and proxies.
/// </summary>
public sealed class VerifyEnvironment : IAsyncDisposable
{
    /// <summary>The faults <c>--nemesis</c> accepts.</summary>
    public static readonly string[] NemesisNames = ["none", "kill", "pause", "clock", "join-leave", "partition", "proxy"];

    private readonly NetworkLab? _lab;
    private readonly List<FaultProxy> _proxies;

    private VerifyEnvironment(LocalCluster cluster, INemesis? nemesis, NetworkLab? lab, List<FaultProxy> proxies)
    {
        Cluster = cluster;
        Nemesis = nemesis;
        _lab = lab;
        _proxies = proxies;
    }

    public LocalCluster Cluster { get; }

    /// <summary>Null for <c>none</c>.</summary>
    public INemesis? Nemesis { get; }

    /// <summary>The cluster a run uses: 3 nodes, fast failure detection, short peer timeouts, fault injection on.</summary>
    public static LocalClusterOptions DefaultOptions() => new()
    {
        Nodes = 3,
        BasePort = 0,
        FailureTimeout = TimeSpan.FromSeconds(2),
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        DeleteDataOnDispose = true,
        NodeArguments = ["--fault-injection", "--peer-timeout", "500ms"],
    };

    /// <exception cref="NetworkLabUnavailableException">partition: not root, or no <c>ip netns</c>.</exception>
    public static async Task<VerifyEnvironment> StartAsync(string nemesis, LocalClusterOptions? options = null)
    {
        options ??= DefaultOptions();
        NetworkLab? lab = null;
        var proxies = new List<FaultProxy>();
        try
        {
            if (nemesis == "partition")
            {
                lab = await NetworkLab.CreateAsync(options.Nodes);
                var network = lab;
                options = options with
                {
                    // The coordinator (and this process's clients) stay in the root namespace, on the lab's bridge.
                    CoordinatorHost = network.BridgeAddress.ToString(),
                    NodeHost = i => network.Address(i).ToString(),
                    NodeLauncher = network.LauncherPrefix,
                };
            }
            if (nemesis == "proxy")
            {
                proxies.AddRange(Enumerable.Range(0, options.Nodes).Select(_ => FaultProxy.Start(target: null)));
                options = options with { NodeArgumentsFor = i => ["--advertise-port", proxies[i - 1].LocalEndPoint.Port.ToString()] };
            }
            var cluster = await StartClusterAsync(options, proxies);
            return new VerifyEnvironment(cluster, Create(nemesis, cluster, lab, proxies), lab, proxies);
        }
        catch
        {
            await DisposeNetworkAsync(lab, proxies);
            throw;
        }
    }

    /// <summary>The nodes clients may use now: running ones, at their own (not their proxies') addresses.</summary>
    public IReadOnlyList<string> RunningNodes() => Cluster.Nodes.Where(n => !n.HasExited).Select(n => n.Endpoint).ToArray();

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await DisposeNetworkAsync(_lab, _proxies);
    }

    // With proxies, each node's proxy learns its target only once the node listens, so nodes start one at a time.
    private static async Task<LocalCluster> StartClusterAsync(LocalClusterOptions options, List<FaultProxy> proxies)
    {
        if (proxies.Count == 0)
        {
            return await LocalCluster.StartAsync(options);
        }
        var cluster = await LocalCluster.StartAsync(options with { Nodes = 0 });
        try
        {
            for (var i = 0; i < options.Nodes; i++)
            {
                var node = await cluster.AddNodeAsync();
                proxies[i].Target = new IPEndPoint(IPAddress.Parse(node.Host), node.Port);
            }
            await cluster.WaitForRingAsync(options.StartTimeout);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static INemesis? Create(string name, LocalCluster cluster, NetworkLab? lab, List<FaultProxy> proxies) => name switch
    {
        "kill" => new KillNemesis(cluster),
        "pause" => new PauseNemesis(cluster),
        "clock" => new ClockNemesis(cluster),
        "join-leave" => new JoinLeaveNemesis(cluster),
        "partition" => new PartitionNemesis(lab!),
        "proxy" => new ProxyNemesis(proxies),
        "none" => null,
        _ => throw new ArgumentException($"unknown nemesis '{name}'; one of: {string.Join(", ", NemesisNames)}", nameof(name)),
    };

    private static async Task DisposeNetworkAsync(NetworkLab? lab, List<FaultProxy> proxies)
    {
        foreach (var proxy in proxies)
        {
            await proxy.DisposeAsync();
        }
        if (lab is not null)
        {
            await lab.DisposeAsync();
        }
    }
}
