using RingKV.Net;
using RingKV.Protocol;
using RingKV.Verification;

namespace RingKV.Cli.Verify;

/// <summary>
/// Concurrent clients reading and writing a few keys through the cluster's nodes, each recording every operation's
/// invocation and completion in one <see cref="HistoryRecorder"/>. Written values are unique (<c>process-sequence</c>),
/// so every read names the write it saw.
/// </summary>
/// <remarks>
/// Outcomes follow <see cref="Outcome"/>'s rule. A write answered OK is <see cref="Outcome.Ok"/>; one answered with
/// a syntax-class error is <see cref="Outcome.Fail"/>; everything else (NOREPLICAS, CLUSTERDOWN, IOERR, a timeout,
/// a broken connection) may have reached some copy and is <see cref="Outcome.Unknown"/>. A read that fails in any
/// way is <see cref="Outcome.Fail"/>: it had no effect. After a broken connection the client moves on to the next
/// node, as a client library would.
/// </remarks>
public sealed class RegisterWorkload(WorkloadOptions options, Func<IReadOnlyList<string>> endpoints)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);
    private readonly HistoryRecorder _recorder = new();
    private int _remaining;

    /// <summary>The keys the workload uses.</summary>
    public IReadOnlyList<string> Keys { get; } = Enumerable.Range(0, options.Keys).Select(i => $"{options.KeyPrefix}{i}").ToArray();

    public HistoryRecorder Recorder => _recorder;

    /// <summary>Runs every client until the operation budget or the duration is spent, or <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        _remaining = options.Operations;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(options.Duration);
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(p => Task.Run(() => ClientAsync(p, deadline.Token))));
    }

    private async Task ClientAsync(int process, CancellationToken stop)
    {
        var random = new Random(options.Seed * 7919 + process);
        var endpoint = process;
        var sequence = 0;
        RespConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested && Interlocked.Decrement(ref _remaining) >= 0)
            {
                connection ??= await ConnectAsync(endpoint);
                if (connection is null)
                {
                    endpoint++;
                    await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None); // no node answers: do not spin
                    continue;
                }
                var key = Keys[random.Next(Keys.Count)];
                var ok = random.NextDouble() < options.WriteRatio
                    ? await WriteAsync(connection, process, key, $"{process}-{++sequence}")
                    : await ReadAsync(connection, process, key);
                if (!ok)
                {
                    await connection.DisposeAsync();
                    connection = null;
                    endpoint++;
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <returns>False when the connection broke (the caller reconnects elsewhere).</returns>
    private async Task<bool> WriteAsync(RespConnection connection, int process, string key, string value)
    {
        var handle = _recorder.Invoke(process, OperationKind.Write, key, value);
        try
        {
            var reply = await connection.ExecuteAsync("SET", key, value);
            if (!reply.IsError)
            {
                _recorder.Complete(handle, Outcome.Ok);
            }
            else
            {
                var error = reply.AsString() ?? "";
                _recorder.Complete(handle, IsCertainFailure(error) ? Outcome.Fail : Outcome.Unknown, note: error);
            }
            return true;
        }
        catch (RespConnectionException ex)
        {
            _recorder.Complete(handle, Outcome.Unknown, note: ex.Message);
            return false;
        }
    }

    private async Task<bool> ReadAsync(RespConnection connection, int process, string key)
    {
        var handle = _recorder.Invoke(process, OperationKind.Read, key);
        try
        {
            var reply = await connection.ExecuteAsync("GET", key);
            if (reply.IsError)
            {
                _recorder.Complete(handle, Outcome.Fail, note: reply.AsString());
            }
            else
            {
                _recorder.Complete(handle, Outcome.Ok, reply.IsNull ? null : reply.AsString());
            }
            return true;
        }
        catch (RespConnectionException ex)
        {
            _recorder.Complete(handle, Outcome.Fail, note: ex.Message);
            return false;
        }
    }

    /// <summary>Errors raised before a write could reach any copy (the request itself was wrong).</summary>
    private static bool IsCertainFailure(string error) =>
        error.StartsWith("ERR syntax", StringComparison.Ordinal) || error.StartsWith("ERR wrong number", StringComparison.Ordinal)
        || error.StartsWith("ERR unknown command", StringComparison.Ordinal);

    private async Task<RespConnection?> ConnectAsync(int index)
    {
        var all = endpoints();
        if (all.Count == 0)
        {
            return null;
        }
        var (host, port) = EndpointParser.Parse(all[index % all.Count]);
        try
        {
            return await RespConnection.ConnectAsync(host, port, ConnectTimeout, commandTimeout: options.OperationTimeout);
        }
        catch (RespConnectionException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads every key once the faults are healed (QUORUM, the contract's level), retrying each through the nodes
    /// until <paramref name="timeout"/>: the final state the lost-write checker compares with what was acknowledged.
    /// </summary>
    /// <exception cref="TimeoutException">Some key could not be read at all.</exception>
    public async Task<Dictionary<string, string?>> FinalReadsAsync(TimeSpan timeout)
    {
        var finals = new Dictionary<string, string?>();
        var deadline = DateTime.UtcNow + timeout;
        var attempt = 0;
        foreach (var key in Keys)
        {
            while (true)
            {
                await using var connection = await ConnectAsync(attempt);
                RespValue? reply = null;
                try
                {
                    reply = connection is null ? null : await connection.ExecuteAsync("GET", key);
                }
                catch (RespConnectionException)
                {
                }
                if (reply is { IsError: false })
                {
                    finals[key] = reply.IsNull ? null : reply.AsString();
                    break;
                }
                attempt++;
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"no node answered a QUORUM read of {key} within {timeout}: {reply?.AsString()}");
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
        return finals;
    }
}
