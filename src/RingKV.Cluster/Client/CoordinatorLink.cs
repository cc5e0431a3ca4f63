using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RingKV.Net;
using RingKV.Protocol;

namespace RingKV.Cluster.Client;

/// <summary>
/// A process' way to the coordinator group (1, 3 or 5 coordinators): sends each command to the coordinator that
/// last served one, and moves on to the next when that one cannot serve.
/// </summary>
/// <remarks>
/// <para>
/// "Cannot serve" is a connection failure (<see cref="RespConnectionException"/>: unreachable, closed, no answer
/// in time) or an error reply whose first word is <c>NOLEADER</c> (no leader elected, or the coordinator is in a
/// minority partition). Each call tries every coordinator at most once, starting with the current one; the one
/// that answers becomes current, so a steady cluster talks to one coordinator and a failover costs one extra
/// attempt per dead coordinator, once (the pool's connect back-off makes a dead one fail fast the next time).
/// </para>
/// <para>
/// When no coordinator could serve, the call throws a <see cref="RespConnectionException"/>: for a connection
/// failure the last one, for NOLEADER one that carries the coordinator's error. Callers already treat that
/// exception as "the coordinator is unavailable, try later", which is what no leader anywhere means to them.
/// A refused handshake (<see cref="RespConnectionException.Refused"/>: wrong cluster secret or password) is
/// thrown at once: every coordinator of a cluster shares the credentials, so trying another would not help.
/// </para>
/// <para>
/// A command that timed out may have been applied by the coordinator that did not answer, and is then sent to the
/// next one: the membership commands (REGISTER_NODE, HEARTBEAT, SLOTS_SYNCED, DECOMMISSION) are idempotent, so a
/// repeat changes nothing (DECOMMISSION answers ALREADY). Thread-safe; the pool is the caller's (credentials,
/// TLS and timeouts as the caller configures them) and is not disposed here.
/// </para>
/// </remarks>
public sealed class CoordinatorLink
{
    /// <summary>First word of a coordinator's error reply when it cannot serve because the group has no reachable leader.</summary>
    public static ReadOnlySpan<byte> NoLeader => "NOLEADER"u8;

    private readonly string[] _endpoints;
    private readonly RespConnectionPool _pool;
    private readonly ILogger _logger;
    private int _current;

    /// <param name="endpoints">The coordinators' <c>host:port</c>s, at least one (<see cref="ParseEndpoints"/>).</param>
    /// <param name="logger">Where moves to another coordinator are logged (events 1100–1199).</param>
    /// <exception cref="ArgumentException">No endpoint.</exception>
    public CoordinatorLink(IReadOnlyList<string> endpoints, RespConnectionPool pool, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(endpoints.Count, nameof(endpoints));
        _endpoints = [.. endpoints];
        _pool = pool;
        _logger = logger ?? NullLogger.Instance;
    }

    public IReadOnlyList<string> Endpoints => _endpoints;

    /// <summary>The coordinator the next command goes to first: the last one that served a command.</summary>
    public string Current => _endpoints[Volatile.Read(ref _current)];

    /// <summary>Parses a comma-separated list of <c>host:port</c>s (<c>127.0.0.1:5000,127.0.0.1:5001</c>); repeats are dropped.</summary>
    /// <exception cref="FormatException">The list is empty or an entry is not host:port.</exception>
    public static IReadOnlyList<string> ParseEndpoints(string text)
    {
        var endpoints = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        if (endpoints.Length == 0)
        {
            throw new FormatException("no coordinator given: expected host:port[,host:port...]");
        }
        foreach (var endpoint in endpoints)
        {
            _ = EndpointParser.Parse(endpoint);
        }
        return endpoints;
    }

    public Task<RespValue> ExecuteAsync(params string[] command) =>
        ExecuteAsync([.. command.Select(c => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(c))]);

    /// <summary>Sends <paramref name="command"/> to the current coordinator, or to the next ones until one can serve it.</summary>
    /// <returns>The reply, error replies other than NOLEADER included.</returns>
    /// <exception cref="RespConnectionException">No coordinator could serve it, or one refused the credentials.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<RespValue> ExecuteAsync(IReadOnlyList<ReadOnlyMemory<byte>> command, CancellationToken cancellationToken = default)
    {
        var start = Volatile.Read(ref _current);
        RespConnectionException? failure = null;
        for (var attempt = 0; attempt < _endpoints.Length; attempt++)
        {
            var index = (start + attempt) % _endpoints.Length;
            var endpoint = _endpoints[index];
            try
            {
                var reply = await _pool.ExecuteAsync(endpoint, command, cancellationToken);
                if (!IsNoLeader(reply))
                {
                    Volatile.Write(ref _current, index);
                    if (attempt > 0)
                    {
                        CoordinatorLinkLog.Switched(_logger, endpoint);
                    }
                    return reply;
                }
                failure = new RespConnectionException($"{endpoint} answered {reply.AsString()}");
            }
            catch (RespConnectionException ex) when (!ex.Refused)
            {
                failure = ex;
            }
            // Move past the failed one for the calls that start next, unless a concurrent call already moved on.
            Interlocked.CompareExchange(ref _current, (index + 1) % _endpoints.Length, index);
            if (_endpoints.Length > 1)
            {
                CoordinatorLinkLog.CouldNotServe(_logger, endpoint, Encoding.UTF8.GetString(command[0].Span), failure.Message);
            }
        }
        throw failure!;
    }

    /// <summary>The coordinators as <c>--coordinator</c> takes them: <c>host:port[,host:port...]</c>.</summary>
    public override string ToString() => string.Join(',', _endpoints);

    private static bool IsNoLeader(RespValue reply) =>
        reply.IsError && reply.Bytes is { } text && text.AsSpan().StartsWith(NoLeader)
        && (text.Length == NoLeader.Length || text[NoLeader.Length] == (byte)' ');
}
