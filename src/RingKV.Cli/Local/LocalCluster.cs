using RingKV.Cluster.Map;
using RingKV.Net;

namespace RingKV.Cli.Local;

/// <summary>
/// A coordinator and nodes running as child processes on this machine: what <c>cluster up</c>, the demo and the
/// integration tests start. Ports are free ones chosen by the OS unless a base port is given.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<ManagedProcess> _nodes = [];
    private readonly LocalClusterOptions _options;
    private int _nextNode = 1;

    private LocalCluster(LocalClusterOptions options, ManagedProcess coordinator)
    {
        _options = options;
        Coordinator = coordinator;
    }

    public ManagedProcess Coordinator { get; private set; }

    public string CoordinatorEndpoint => Coordinator.Endpoint;

    public IReadOnlyList<ManagedProcess> Nodes => _nodes;

    public static async Task<LocalCluster> StartAsync(LocalClusterOptions options)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var coordinator = await StartCoordinatorAsync(options, options.BasePort);
        var cluster = new LocalCluster(options, coordinator);
        try
        {
            // Sequential start keeps node ids in port order and the log readable; each start takes ~0.3 s.
            for (var i = 0; i < options.Nodes; i++)
            {
                await cluster.AddNodeAsync();
            }
            await cluster.WaitForRingAsync(options.StartTimeout);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    private static Task<ManagedProcess> StartCoordinatorAsync(LocalClusterOptions options, int port) =>
        ManagedProcess.StartAsync("coordinator",
            ["coordinator", "--port", port.ToString(), "--data-dir", Path.Combine(options.DataDirectory, "coordinator"),
             "--failure-timeout", $"{options.FailureTimeout.TotalMilliseconds}ms", "--replication-factor", options.ReplicationFactor.ToString(),
             .. BindArguments(options.CoordinatorHost), .. options.SecurityArguments, .. options.ExtraArguments, .. options.CoordinatorArguments],
            options.Echo, options.StartTimeout, host: options.CoordinatorHost ?? ManagedProcess.DefaultHost);

    // No --bind at all when none is configured, so the roles' own default applies and callers' arguments stay in charge.
    // A non-loopback address is one of our own network namespaces (the partition lab): a private network whose
    // clients come from the bridge, which protected mode would refuse, so it is switched off there.
    private static string[] BindArguments(string? host) =>
        host is null ? []
        : System.Net.IPAddress.TryParse(host, out var address) && !System.Net.IPAddress.IsLoopback(address) ? ["--bind", host, "--protected-mode", "no"]
        : ["--bind", host];

    /// <summary>
    /// Waits until every started node is a ring member and no transition runs. Nodes join one transition at a
    /// time (each copies what it gains), so a fresh cluster of N nodes forms in N-1 short steps.
    /// </summary>
    /// <exception cref="TimeoutException">The ring did not form within <paramref name="timeout"/>.</exception>
    public async Task WaitForRingAsync(TimeSpan timeout)
    {
        await using var pool = new RespConnectionPool { Handshake = _options.Password is { } password ? [["AUTH", password]] : [], Tls = _options.Tls };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = "no answer from the coordinator";
        while (clock.Elapsed < timeout)
        {
            try
            {
                var reply = await pool.ExecuteAsync(CoordinatorEndpoint, "CLUSTER_MAP");
                if (!reply.IsError)
                {
                    var map = ClusterMap.FromJson(reply.AsString()!);
                    if (map.Transition is null && _nodes.All(n => map.Members.Contains(n.Name)))
                    {
                        return;
                    }
                    last = $"epoch {map.Epoch}, members {string.Join(",", map.Members)}, transition {map.Transition?.Id.ToString() ?? "none"}";
                }
            }
            catch (RespConnectionException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the ring did not form within {timeout.TotalSeconds:0} s: {last}");
    }

    /// <summary>Starts one more node (node-1, node-2, …) and waits until it serves.</summary>
    public async Task<ManagedProcess> AddNodeAsync()
    {
        var number = _nextNode++;
        var node = await StartNodeAsync(number, _options.BasePort == 0 ? 0 : _options.BasePort + number);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Starts a node again under the same id (after <see cref="ManagedProcess.Kill"/>), on the same port if it had one.</summary>
    public async Task<ManagedProcess> RestartNodeAsync(string name)
    {
        var index = _nodes.FindIndex(n => n.Name == name);
        var old = _nodes[index];
        await old.DisposeAsync();
        // _nodes only grows, in AddNodeAsync's numbering order, so node-N sits at index N-1.
        var node = await StartNodeAsync(index + 1, old.Port);
        _nodes[index] = node;
        return node;
    }

    /// <summary>Restarts the coordinator on its port with its data directory (the map must survive).</summary>
    public async Task RestartCoordinatorAsync()
    {
        var port = Coordinator.Port;
        await Coordinator.DisposeAsync();
        Coordinator = await StartCoordinatorAsync(_options, port);
    }

    private Task<ManagedProcess> StartNodeAsync(int number, int port)
    {
        var id = $"node-{number}";
        var host = _options.NodeHost?.Invoke(number);
        return ManagedProcess.StartAsync(id,
            ["node", "--id", id, "--port", port.ToString(), "--coordinator", CoordinatorEndpoint,
             "--data-dir", Path.Combine(_options.DataDirectory, id), "--heartbeat-interval", $"{_options.HeartbeatInterval.TotalMilliseconds}ms",
             .. BindArguments(host), .. _options.SecurityArguments, .. _options.ExtraArguments, .. _options.NodeArguments, .. _options.NodeArgumentsFor?.Invoke(number) ?? []],
            _options.Echo, _options.StartTimeout,
            _options.NodeLauncher?.Invoke(number), host ?? ManagedProcess.DefaultHost);
    }

    public ManagedProcess Node(string name) => _nodes.First(n => n.Name == name);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        await Coordinator.DisposeAsync();
        if (_options.DeleteDataOnDispose)
        {
            try
            {
                Directory.Delete(_options.DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A process that is still exiting may hold a file; a leftover temp folder is harmless.
            }
        }
    }
}

/// <summary>Shape of a <see cref="LocalCluster"/>.</summary>
public sealed record LocalClusterOptions
{
    public int Nodes { get; init; } = 3;

    /// <summary>0 = free ports chosen by the OS; otherwise coordinator on this port, node i on port + i.</summary>
    public int BasePort { get; init; }

    public string DataDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "ringkv-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Delete <see cref="DataDirectory"/> when the cluster is disposed (demo and tests; not <c>cluster up</c>).</summary>
    public bool DeleteDataOnDispose { get; init; }

    public TimeSpan FailureTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int ReplicationFactor { get; init; } = 3;

    /// <summary>Echo each process' output prefixed with its name (cluster up) instead of only buffering it.</summary>
    public bool Echo { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Arguments appended to every role (e.g. <c>--verbose</c>). Only options both roles accept.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Every process' <c>--requirepass</c>; the cluster's own checks authenticate with it. Null: none.</summary>
    public string? Password { get; init; }

    /// <summary>Every process' <c>--cluster-secret</c>. Null: none.</summary>
    public string? ClusterSecret { get; init; }

    /// <summary>How the cluster's own checks dial it when its processes serve TLS (their flags go in <see cref="ExtraArguments"/>).</summary>
    public Net.TlsSettings? Tls { get; init; }

    /// <summary>The security flags every process gets.</summary>
    internal IEnumerable<string> SecurityArguments =>
        [.. Password is null ? [] : new[] { "--requirepass", Password }, .. ClusterSecret is null ? [] : new[] { "--cluster-secret", ClusterSecret }];

    /// <summary>Arguments appended to every node (e.g. <c>--storage memory</c>, <c>--fsync always</c>).</summary>
    public IReadOnlyList<string> NodeArguments { get; init; } = [];

    /// <summary>Appended to the coordinator's command line only (<c>--removal-timeout 3s</c>).</summary>
    public IReadOnlyList<string> CoordinatorArguments { get; init; } = [];

    /// <summary>
    /// Address the coordinator binds (<c>--bind</c>), which the nodes and the cluster's own checks then use to reach
    /// it; null = 127.0.0.1. With nodes in network namespaces, the bridge's address (NetworkLab.BridgeAddress).
    /// </summary>
    public string? CoordinatorHost { get; init; }

    /// <summary>
    /// Address node i (1-based, as in node-i) binds and advertises; null or a null result = 127.0.0.1. Must be
    /// reachable from the coordinator and the other nodes (NetworkLab.Address(i) for a node in namespace i).
    /// </summary>
    public Func<int, string>? NodeHost { get; init; }

    /// <summary>
    /// Argv prefix node i (1-based) is started under, e.g. <c>ip netns exec rkv3f2a-n1</c> (NetworkLab.LauncherPrefix);
    /// null = run ringkv directly. The prefix must exec the program in place so its pid stays the node's.
    /// </summary>
    public Func<int, IReadOnlyList<string>>? NodeLauncher { get; init; }

    /// <summary>Appended to node i's command line only (1-based), e.g. its own <c>--advertise-port</c>.</summary>
    public Func<int, IReadOnlyList<string>>? NodeArgumentsFor { get; init; }
}
