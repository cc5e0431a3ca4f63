using RingKV.Cluster.Client;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Protocol;

namespace RingKV.Cli.Admin;

/// <summary>
/// The RESP calls behind the operator verbs (<c>rebalance status</c>, <c>node decommission/remove</c>, <c>repair</c>).
/// </summary>
/// <remarks>
/// Plain pooled connections rather than <see cref="RingKV.Client.RingKvClient"/>: each call goes to one named
/// endpoint and needs no routing, and REPAIR needs a command timeout of minutes that would be wrong for the
/// coordinator's quick answers, hence two pools. No connect back-off: a watch polls the coordinator on its own
/// schedule and a coordinator restarting must be reached again at the next poll. Coordinator calls go through a
/// <see cref="CoordinatorLink"/>, so with a coordinator group any member that can serve answers.
/// </remarks>
public sealed class AdminConnection : IAsyncDisposable
{
    private readonly RespConnectionPool _quick = Pool(TimeSpan.FromSeconds(5));
    private readonly RespConnectionPool _slow;

    /// <param name="coordinators">One coordinator or the group, as <c>host:port[,host:port...]</c>.</param>
    /// <exception cref="FormatException"><paramref name="coordinators"/> is not such a list.</exception>
    public AdminConnection(string coordinators, TimeSpan repairTimeout)
    {
        _slow = Pool(repairTimeout);
        Coordinators = new CoordinatorLink(CoordinatorLink.ParseEndpoints(coordinators), _quick);
    }

    public AdminConnection(string coordinators) : this(coordinators, TimeSpan.FromMinutes(10))
    {
    }

    public CoordinatorLink Coordinators { get; }

    /// <summary>Sends a command to the coordinator and returns its reply, error replies (but NOLEADER) included.</summary>
    /// <exception cref="RespConnectionException">No coordinator could serve it in time.</exception>
    public Task<RespValue> ExecuteAsync(string[] command, CancellationToken cancellationToken = default) =>
        Coordinators.ExecuteAsync(Encode(command), cancellationToken);

    /// <summary>The raw <c>REBALANCE STATUS</c> document and its parsed form.</summary>
    /// <exception cref="RespConnectionException">The coordinator is unreachable.</exception>
    /// <exception cref="AdminException">The coordinator answered with an error or something that is not a report.</exception>
    public async Task<(string Json, RebalanceReport Report)> RebalanceStatusAsync(CancellationToken cancellationToken = default)
    {
        var json = ExpectText(await ExecuteAsync(["REBALANCE", "STATUS"], cancellationToken), "REBALANCE STATUS");
        try
        {
            return (json, RebalanceReport.FromJson(json));
        }
        catch (FormatException ex)
        {
            throw new AdminException($"{Coordinators.Current}: {ex.Message}", ex);
        }
    }

    /// <exception cref="RespConnectionException">The coordinator is unreachable.</exception>
    /// <exception cref="AdminException">The coordinator answered with an error or something that is not a map.</exception>
    public async Task<ClusterMap> MapAsync(CancellationToken cancellationToken = default)
    {
        var json = ExpectText(await ExecuteAsync(["CLUSTER_MAP"], cancellationToken), "CLUSTER_MAP");
        try
        {
            return ClusterMap.FromJson(json);
        }
        catch (FormatException ex)
        {
            throw new AdminException($"{Coordinators.Current}: invalid cluster map: {ex.Message}", ex);
        }
    }

    /// <summary>Runs anti-entropy on one node (<c>REPAIR</c>); may take minutes on a large data set.</summary>
    /// <exception cref="RespConnectionException">The node is unreachable or did not finish within the repair timeout.</exception>
    /// <exception cref="AdminException">The node answered with an error or an unreadable report.</exception>
    public async Task<RepairReport> RepairAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var reply = await _slow.ExecuteAsync(endpoint, Encode(["REPAIR"]), cancellationToken);
        try
        {
            return RepairReport.Parse(ExpectText(reply, "REPAIR"));
        }
        catch (FormatException ex)
        {
            throw new AdminException(ex.Message, ex);
        }
    }

    private static string ExpectText(RespValue reply, string command) =>
        reply.IsError ? throw new AdminException(reply.AsString() ?? "error")
        : reply.AsString() ?? throw new AdminException($"{command} returned {reply}");

    // Admin verbs authenticate with RINGKV_PASSWORD when the cluster has a password (Hosting.ClientCredentials).
    private static RespConnectionPool Pool(TimeSpan commandTimeout) => new()
    {
        CommandTimeout = commandTimeout, RetryBackoff = TimeSpan.Zero, Handshake = Hosting.ClientCredentials.Handshake(Hosting.ClientCredentials.FromEnvironment()),
    };

    private static ReadOnlyMemory<byte>[] Encode(string[] command) =>
        [.. command.Select(c => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(c))];

    public async ValueTask DisposeAsync()
    {
        await _quick.DisposeAsync();
        await _slow.DisposeAsync();
    }
}

/// <summary>An endpoint answered an operator command with an error reply or with text the CLI cannot read.</summary>
public sealed class AdminException : Exception
{
    public AdminException() { }

    public AdminException(string message) : base(message) { }

    public AdminException(string message, Exception innerException) : base(message, innerException) { }
}
