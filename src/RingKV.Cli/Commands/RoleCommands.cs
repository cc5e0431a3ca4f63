using System.CommandLine;
using RingKV.Cli.Hosting;
using RingKV.Cluster;
using RingKV.Cluster.Client;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Coordinator.Group;
using RingKV.Http;
using RingKV.Node;
using RingKV.Placement;
using RingKV.Node.Replication;
using RingKV.Storage;

namespace RingKV.Cli.Commands;

/// <summary>The server roles: <c>ringkv coordinator</c> and <c>ringkv node</c>.</summary>
/// <remarks>
/// Every option can also come from a configuration file or a <c>RINGKV_*</c> variable (<see cref="ConfigurationLayers"/>):
/// an action reads its settings from <see cref="RoleConfiguration.Parse"/>, never from the parse of what was typed.
/// </remarks>
public static class RoleCommands
{
    /// <summary>Printed once the role serves requests; <c>cluster up</c>, the demo and tests wait for it.</summary>
    public const string ReadyPrefix = "RINGKV READY";

    /// <summary>The unit of <c>--rebalance-rate</c> (and of the byte counts <c>rebalance status</c> prints).</summary>
    private const double MiB = 1 << 20;

    private static readonly Option<string> s_bind = new("--bind") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<int?> s_parentPid = new("--parent-pid") { Description = "Exit when this process exits", Hidden = true };
    private static readonly Option<string> s_httpPort = HttpPortOption();

    public static Command Coordinator()
    {
        var port = new Option<int>("--port", "-p") { Description = "RESP port (0 = any free port)", DefaultValueFactory = _ => 5000 };
        var dataDir = new Option<string>("--data-dir") { Description = "Where the cluster map is persisted", DefaultValueFactory = _ => "./data/coordinator" };
        var failureTimeout = Durations.Option("--failure-timeout", "Silence after which a node is DOWN", "10s");
        var replicas = new Option<int>("--replication-factor", "-n") { Description = "Copies of every key", DefaultValueFactory = _ => RingDefaults.ReplicationFactor };
        var vnodes = new Option<int>("--vnodes") { Description = "Virtual nodes per node", DefaultValueFactory = _ => RingDefaults.VirtualNodesPerNode };
        var removalTimeout = Durations.Option("--removal-timeout",
            "A node DOWN this long leaves the ring and the others re-replicate its slots (0 or off: only `ringkv node remove` does). "
            + "The default outlasts a reboot or a deploy, yet keeps its slots from staying long one failure away from a single copy",
            "15m", allowOff: true);
        var peers = new Option<string?>("--peers")
        {
            Description = "The coordinator group, this one included: host:port[@raftport],… (1, 3 or 5; the Raft port defaults to "
                + $"port + {CoordinatorPeer.DefaultRaftPortOffset}). Every member lists the same. Without it the coordinator runs alone",
        };
        peers.Validators.Add(r =>
        {
            try
            {
                var list = CoordinatorPeer.ParseList(r.GetValueOrDefault<string?>() ?? "");
                if (list.Count % 2 == 0 && list.Count > 0)
                {
                    r.AddError($"--peers lists {list.Count} coordinators; use an odd number (1, 3 or 5), as a majority of an even group tolerates no more failures than one member fewer");
                }
            }
            catch (FormatException ex)
            {
                r.AddError($"--peers: {ex.Message}");
            }
        });
        var command = new Command("coordinator", "Run the coordinator: membership, failure detection, the cluster map")
        {
            port, s_bind, dataDir, failureTimeout, removalTimeout, replicas, vnodes, peers, s_httpPort, s_parentPid,
            ConfigurationLayers.FileOption, Logging.LevelOption, Logging.FormatOption, Logging.VerboseOption,
        };
        AddLimitOptions(command);
        SecurityOptions.AddTo(command);
        command.SetAction((typed, _) => ConfigurationLayers.RunRoleAsync(typed, async configuration =>
        {
            var result = configuration.Parse;
            if (SecurityOptions.TryBuild(result) is not { } security)
            {
                return ConfigurationLayers.InvalidConfiguration;
            }
            var options = new CoordinatorOptions
            {
                Security = security,
                Port = result.GetValue(port),
                Bind = result.GetValue(s_bind)!,
                DataDirectory = result.GetValue(dataDir)!,
                FailureTimeout = Durations.Parse(result.GetValue(failureTimeout)!),
                RemovalTimeout = Durations.ParseOrOff(result.GetValue(removalTimeout)!),
                ReplicationFactor = result.GetValue(replicas),
                VirtualNodesPerNode = result.GetValue(vnodes),
                Limits = LimitOptions.Read(result),
                Peers = CoordinatorPeer.ParseList(result.GetValue(peers) ?? ""),
            };
            if (options.Peers.Count > 0 && security.Tls?.Certificate is not null && security.Tls.Authorities is null)
            {
                // The group's members authenticate each other by their certificates' CA (Raft has no password).
                Console.Error.WriteLine("error: a coordinator group with TLS needs --tls-ca-cert-file: its members accept only peers whose certificate chains to it");
                return ConfigurationLayers.InvalidConfiguration;
            }
            var stop = ProcessLifetime.Create(result.GetValue(s_parentPid));
            using var loggers = Logging.Create(result);
            configuration.Log(loggers.CreateLogger("config"));
            await using var server = await CoordinatorServer.StartAsync(options, loggers);
            await using var http = HttpPort(result, options.Port, server.LocalEndPoint.Port) is { } httpPort
                ? await HttpEndpoint.StartAsync(options.Bind, httpPort, options.Limits.Protocol.MaxBulkLength, options.Security, loggers, app => CoordinatorApi.Map(app, server))
                : null;
            Console.WriteLine($"{ReadyPrefix} role=coordinator port={server.LocalEndPoint.Port} failure-timeout={options.FailureTimeout.TotalSeconds}s"
                + (http is null ? "" : $" http={http.Port}") + (server.Group is { } group ? $" raft={group.Self.RaftPort} group={group.Peers.Count}" : ""));
            await WaitAsync(stop);
            return 0;
        }));
        return command;
    }

    public static Command Node()
    {
        var port = new Option<int>("--port", "-p") { Description = "RESP port (0 = any free port)", DefaultValueFactory = _ => 5001 };
        var id = new Option<string?>("--id") { Description = "Node id (default node-<port>); keep it stable across restarts" };
        var coordinator = CoordinatorOption.Create("Coordinator host:port, or every coordinator of the group as host:port,host:port,... (the node uses whichever can serve)");
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory (default ./data/<node-id>)" };
        var advertise = new Option<string?>("--advertise-host") { Description = "Host other nodes use to reach this one" };
        var advertisePort = new Option<int?>("--advertise-port")
        {
            Description = "Port other nodes use to reach this one, e.g. a proxy's in front of it (default: the bound port)",
        };
        advertisePort.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 65535)
            {
                r.AddError("--advertise-port must be between 1 and 65535");
            }
        });
        var heartbeat = Durations.Option("--heartbeat-interval", "Heartbeat period", "1s");
        var peerTimeout = Durations.Option("--peer-timeout", "Wait for a peer before trying the next replica", "2s");
        var read = ConsistencyOption("--read-consistency", "Default read level: ONE, QUORUM, ALL");
        var write = ConsistencyOption("--write-consistency", "Default write level: ONE, QUORUM, ALL");
        var storage = new Option<string>("--storage") { Description = "rocksdb (durable, default) or memory", DefaultValueFactory = _ => "rocksdb" };
        storage.AcceptOnlyFromAmong("rocksdb", "memory");
        var fsync = new Option<string>("--fsync") { Description = "always | everysec | no, like Redis' appendfsync", DefaultValueFactory = _ => "everysec" };
        fsync.AcceptOnlyFromAmong("always", "everysec", "no");
        var grace = Durations.Option("--tombstone-grace", "Keep tombstones and expired records this long before purging", "24h");
        var hintWindow = Durations.Option("--hint-window", "Drop hints for a replica older than this", "3h");
        var rebalanceRate = new Option<double>("--rebalance-rate")
        {
            Description = "Most MiB per second this node pulls when it copies slots (joins, leaves, removals, repair), "
                + "so rebalancing leaves disk and network to clients; 0 = unlimited",
            DefaultValueFactory = _ => 32,
            HelpName = "MiB/s",
        };
        rebalanceRate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or double.NaN or double.PositiveInfinity)
            {
                r.AddError("--rebalance-rate must be 0 (unlimited) or a positive number of MiB/s");
            }
        });
        var faultInjection = new Option<bool>("--fault-injection")
        {
            Description = "Testing only: let RKV.FAULT skew this node's clock or plant a replication bug (ringkv verify uses it)",
        };
        var antiEntropy = Durations.Option("--anti-entropy-interval",
            "How often the node compares its slots with the other replicas and pulls what differs (0 or off: only on `ringkv repair`); "
            + "must stay below --tombstone-grace so deletes reach every replica before their tombstones are purged",
            "1h", allowOff: true);
        // The membership verbs live under `node` because they act on one node; the role itself still runs when no
        // subcommand is given (System.CommandLine runs the deepest command named on the line).
        var command = new Command("node", "Run a storage node: serves RESP, replicates, fails over. Subcommands act on a running cluster's nodes")
        {
            port, id, coordinator, dataDir, s_bind, advertise, advertisePort, heartbeat, peerTimeout, read, write, storage, fsync, grace, hintWindow,
            rebalanceRate, antiEntropy, faultInjection, s_httpPort, s_parentPid,
            ConfigurationLayers.FileOption, Logging.LevelOption, Logging.FormatOption, Logging.VerboseOption,
            MembershipCommands.Decommission(),
            MembershipCommands.Remove(),
        };
        AddLimitOptions(command);
        SecurityOptions.AddTo(command);
        command.SetAction((typed, _) => ConfigurationLayers.RunRoleAsync(typed, async configuration =>
        {
            var result = configuration.Parse;
            var stop = ProcessLifetime.Create(result.GetValue(s_parentPid));
            using var loggers = Logging.Create(result);
            configuration.Log(loggers.CreateLogger("config"));
            var requestedPort = result.GetValue(port);
            var nodeId = result.GetValue(id) ?? $"node-{requestedPort}";
            if (SecurityOptions.TryBuild(result) is not { } security)
            {
                return ConfigurationLayers.InvalidConfiguration;
            }
            var options = new NodeOptions
            {
                Security = security,
                Id = nodeId,
                Port = requestedPort,
                Bind = result.GetValue(s_bind)!,
                AdvertiseHost = result.GetValue(advertise),
                AdvertisePort = result.GetValue(advertisePort),
                Coordinators = CoordinatorLink.ParseEndpoints(result.GetValue(coordinator)!),
                DataDirectory = result.GetValue(dataDir) ?? Path.Combine("data", nodeId),
                HeartbeatInterval = Durations.Parse(result.GetValue(heartbeat)!),
                PeerTimeout = Durations.Parse(result.GetValue(peerTimeout)!),
                ReadConsistency = ParseLevel(result.GetValue(read)!),
                WriteConsistency = ParseLevel(result.GetValue(write)!),
                Limits = LimitOptions.Read(result),
                Storage = result.GetValue(storage) == "memory" ? StorageKind.Memory : StorageKind.RocksDb,
                Fsync = FsyncPolicyNames.TryParse(result.GetValue(fsync)!, out var policy) ? policy : FsyncPolicy.EverySecond,
                TombstoneGrace = Durations.Parse(result.GetValue(grace)!),
                Hints = new HintOptions { Window = Durations.Parse(result.GetValue(hintWindow)!) },
                RebalanceBytesPerSecond = (long)(result.GetValue(rebalanceRate) * MiB),
                AntiEntropyInterval = Durations.ParseOrOff(result.GetValue(antiEntropy)!),
                FaultInjection = result.GetValue(faultInjection),
            };
            if (options.TombstoneGrace <= options.Hints.Window)
            {
                Console.Error.WriteLine($"error: --tombstone-grace ({options.TombstoneGrace}) must exceed --hint-window ({options.Hints.Window}), or a late hint could resurrect a purged delete");
                return 2;
            }
            if (options.AntiEntropyInterval >= options.TombstoneGrace)
            {
                Console.Error.WriteLine($"error: --anti-entropy-interval ({options.AntiEntropyInterval}) must be below --tombstone-grace ({options.TombstoneGrace}), or a replica that missed a delete could bring the key back after the tombstone is purged");
                return 2;
            }
            NodeServer server;
            try
            {
                server = new NodeServer(options, loggers);
            }
            catch (StorageException ex)
            {
                Console.Error.WriteLine($"error: cannot open storage in {Path.GetFullPath(options.DataDirectory)}: {ex.Message}");
                return 3;
            }
            await using var running = server;
            await using var http = HttpPort(result, requestedPort, server.LocalEndPoint.Port) is { } httpPort
                ? await HttpEndpoint.StartAsync(options.Bind, httpPort, options.Limits.Protocol.MaxBulkLength, options.Security, loggers, app => NodeApi.Map(app, server))
                : null;
            // Ready means routable: a node without a map could only answer CLUSTERDOWN. A coordinator that is
            // down does not keep the node from starting, though; it registers as soon as one answers.
            var registered = await Task.WhenAny(server.Agent.Registered, Task.Delay(TimeSpan.FromSeconds(10), stop)) == server.Agent.Registered;
            Console.WriteLine($"{ReadyPrefix} role=node id={nodeId} port={server.LocalEndPoint.Port} epoch={server.Agent.Map.Epoch}{(http is null ? "" : $" http={http.Port}")}{(registered ? "" : " (coordinator unreachable, not registered yet)")}");
            await WaitAsync(stop);
            return 0;
        }));
        return command;
    }

    private static Option<string> HttpPortOption()
    {
        var option = new Option<string>("--http-port")
        {
            Description = "HTTP port (REST API, /metrics, dashboard): a number, 0 = any free port, off = no HTTP. Default: the RESP port + 10000 (0 when the RESP port is 0)",
            HelpName = "port|off",
        };
        option.Validators.Add(r =>
        {
            var text = r.GetValueOrDefault<string>();
            if (!IsOff(text) && ParseHttpPort(text) is null)
            {
                r.AddError($"--http-port: '{text}' is not a port number or off");
            }
        });
        return option;
    }

    private static Option<string> ConsistencyOption(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => "QUORUM" };
        option.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "ONE", "QUORUM", "ALL");
        return option;
    }

    /// <summary>The HTTP port to serve, or null for none (<c>--http-port off</c>).</summary>
    /// <remarks>The default sits a fixed distance from the RESP port, so every process of a local cluster gets its own.</remarks>
    private static int? HttpPort(ParseResult result, int requestedPort, int respPort)
    {
        var text = result.GetValue(s_httpPort);
        if (text is null)
        {
            return requestedPort is 0 ? 0 : respPort + 10000 <= 65535 ? respPort + 10000 : null;
        }
        // The option's validator has already rejected anything that is neither off nor a port.
        return IsOff(text) ? null : ParseHttpPort(text);
    }

    private static bool IsOff(string? text) => text?.Equals("off", StringComparison.OrdinalIgnoreCase) == true;

    private static int? ParseHttpPort(string? text) => int.TryParse(text, out var port) && port is >= 0 and <= 65535 ? port : null;

    /// <summary>Placed after <c>--http-port</c>, where <c>--proto-max-bulk-len</c>, the first of them, always stood.</summary>
    private static void AddLimitOptions(Command role)
    {
        var at = role.Options.IndexOf(s_httpPort) + 1;
        foreach (var option in LimitOptions.All.Reverse())
        {
            role.Options.Insert(at, option);
        }
    }

    private static Consistency ParseLevel(string text) =>
        ConsistencyExtensions.TryParse(text, out var level) ? level : throw new FormatException($"'{text}' is not ONE, QUORUM or ALL");

    private static async Task WaitAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
