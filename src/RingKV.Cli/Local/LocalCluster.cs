using RingKV.Cluster.Map;
using RingKV.Net;

namespace RingKV.Cli.Local;

/// <summary>
/// A coordinator (or a group of them) and nodes running as child processes on this machine: what <c>cluster up</c>,
/// the demo and the integration tests start. Ports are free ones chosen by the OS unless a base port is given.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<ManagedProcess> _nodes = [];
    private readonly ManagedProcess[] _coordinators;
    private readonly LocalClusterOptions _options;
    private readonly string? _peers;
    private int _nextNode = 1;

    private LocalCluster(LocalClusterOptions options, string? peers, int coordinators)
    {
        _options = options;
        _peers = peers;
        _coordinators = new ManagedProcess[coordinators];
    }

    /// <summary>The first coordinator (the only one, unless <see cref="LocalClusterOptions.Coordinators"/> is more than 1).</summary>
    public ManagedProcess Coordinator => _coordinators[0];

    public IReadOnlyList<ManagedProcess> Coordinators => _coordinators;

    public string CoordinatorEndpoint => Coordinator.Endpoint;

    /// <summary>Every coordinator's address, comma-separated: what nodes and admin verbs are given as <c>--coordinator</c>.</summary>
    public string CoordinatorEndpoints => string.Join(',', _coordinators.Select(c => c.Endpoint));

    public IReadOnlyList<ManagedProcess> Nodes => _nodes;

    public static async Task<LocalCluster> StartAsync(LocalClusterOptions options)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var count = options.Coordinators;
        // A group's members must know each other's addresses before any starts: ports are chosen here, not by the OS
        // at bind time. The RESP ports are base, base+1…; each Raft port is its RESP port + 20000 (the default).
        var peers = count == 1 ? null : string.Join(',', Enumerable.Range(0, count).Select(i =>
        {
            var host = options.CoordinatorHostFor?.Invoke(i + 1) ?? options.CoordinatorHost ?? ManagedProcess.DefaultHost;
            var (port, raft) = options.BasePort == 0 ? FreePorts.Pair() : (options.BasePort + i, options.BasePort + i + Cluster.Coordinator.Group.CoordinatorPeer.DefaultRaftPortOffset);
            return $"{host}:{port}@{raft}";
        }));
        var cluster = new LocalCluster(options, peers, count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                cluster._coordinators[i] = await cluster.StartCoordinatorAsync(i + 1, cluster.CoordinatorPort(i + 1));
            }
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

    // Coordinator i (1-based): alone it is "coordinator" on the base port (or any); in a group "coordinator-i" on its peer entry's port.
    private int CoordinatorPort(int number) =>
        _peers is null ? _options.BasePort : Cluster.Coordinator.Group.CoordinatorPeer.ParseList(_peers)[number - 1].Port;

    private Task<ManagedProcess> StartCoordinatorAsync(int number, int port)
    {
        var name = _peers is null ? "coordinator" : $"coordinator-{number}";
        var host = _options.CoordinatorHostFor?.Invoke(number) ?? _options.CoordinatorHost;
        return ManagedProcess.StartAsync(name,
            ["coordinator", "--port", port.ToString(), "--data-dir", Path.Combine(_options.DataDirectory, name),
             "--failure-timeout", $"{_options.FailureTimeout.TotalMilliseconds}ms", "--replication-factor", _options.ReplicationFactor.ToString(),
             .. _peers is null ? [] : new[] { "--peers", _peers },
             .. BindArguments(host), .. _options.SecurityArguments, .. _options.ExtraArguments, .. _options.CoordinatorArguments],
            _options.Echo, _options.StartTimeout, _options.CoordinatorLauncher?.Invoke(number), host: host ?? ManagedProcess.DefaultHost);
    }

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
        for (var attempt = 0; clock.Elapsed < timeout; attempt++)
        {
            try
            {
                // Any coordinator of a group will do (each serves the map it has applied); a dead one is skipped next time.
                var reply = await pool.ExecuteAsync(_coordinators[attempt % _coordinators.Length].Endpoint, "CLUSTER_MAP");
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
        // With a base port the coordinators take base .. base+C-1 and the nodes follow.
        var node = await StartNodeAsync(number, _options.BasePort == 0 ? 0 : _options.BasePort + _coordinators.Length - 1 + number);
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

    /// <summary>Restarts coordinator <paramref name="number"/> (1-based) on its port with its data directory (the map must survive).</summary>
    public async Task RestartCoordinatorAsync(int number = 1)
    {
        var old = _coordinators[number - 1];
        await old.DisposeAsync();
        _coordinators[number - 1] = await StartCoordinatorAsync(number, old.Port);
    }

    private Task<ManagedProcess> StartNodeAsync(int number, int port)
    {
        var id = $"node-{number}";
        var host = _options.NodeHost?.Invoke(number);
        return ManagedProcess.StartAsync(id,
            ["node", "--id", id, "--port", port.ToString(), "--coordinator", CoordinatorEndpoints,
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
        foreach (var coordinator in _coordinators.Where(c => c is not null))
        {
            await coordinator.DisposeAsync();
        }
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

    /// <summary>1 (a lone coordinator) or the size of the coordinator group (3 or 5), which replicates the map through Raft.</summary>
    public int Coordinators { get; init; } = 1;

    /// <summary>0 = free ports chosen by the OS; otherwise coordinator j (1-based) on port + j - 1, node i on the port after the last coordinator's + i - 1.</summary>
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

    /// <summary>Address coordinator i (1-based) binds, overriding <see cref="CoordinatorHost"/> (a group spread over namespaces).</summary>
    public Func<int, string?>? CoordinatorHostFor { get; init; }

    /// <summary>Argv prefix coordinator i (1-based) is started under (see <see cref="NodeLauncher"/>); null = directly.</summary>
    public Func<int, IReadOnlyList<string>?>? CoordinatorLauncher { get; init; }

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
