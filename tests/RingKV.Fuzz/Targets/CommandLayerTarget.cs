using System.Text.RegularExpressions;
using RingKV.Fuzz.Servers;
using RingKV.Protocol;

namespace RingKV.Fuzz.Targets;

/// <summary>
/// Sends streams to a running RingKV node over fresh connections and checks the contract of its socket server and
/// command layer.
/// </summary>
/// <remarks>
/// Each stream runs on an empty keyspace (FLUSHALL first). Invariants, per stream: every request gets exactly one well-formed reply, in order (<see cref="RequestPlan"/>);
/// a protocol error is answered with <c>-ERR Protocol error…</c> and then the connection is closed; a complete
/// stream leaves the connection serving (PING answers PONG); a partial request leaves it waiting. Per stream too:
/// the process is alive and logged no failed connection (an exception that escaped a command). Every
/// <see cref="HealthEvery"/> streams: a fresh client gets PONG and the node's resident memory stays under
/// <see cref="MaxResidentBytes"/>.
/// </remarks>
internal sealed partial class CommandLayerTarget(IServerUnderTest node, RespLimits limits)
{
    public const int HealthEvery = 100;
    public const long MaxResidentBytes = 2L << 30;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private int _checked;
    private int _failuresLogged = -1;

    public async Task<string?> CheckAsync(byte[] stream, Random random)
    {
        var plan = RequestPlan.Of(stream, limits);
        if (plan.HugeStringAt() is var huge and >= 0)
        {
            stream = stream[..huge];
            plan = RequestPlan.Of(stream, limits);
        }
        // Each stream starts from an empty keyspace, so a finding replays (and shrinks) from its stream alone.
        if (await Flush.FlushAsync(node) is { } flushProblem)
        {
            return flushProblem;
        }
        _failuresLogged = _failuresLogged < 0 ? CountLoggedFailures() : _failuresLogged;
        var transcript = await Transcript.RecordAsync(node.Port, stream, plan, random, ReplyTimeout, TimeSpan.Zero);
        var problem = (plan.Predictable ? Judge(plan, transcript) : null) ?? Survival();
        if (problem is null && ++_checked % HealthEvery == 0)
        {
            problem = await HealthAsync();
        }
        return problem;
    }

    /// <summary>Whether the node still serves a new client within bounded memory; null when it does.</summary>
    public async Task<string?> HealthAsync()
    {
        var survival = Survival();
        if (survival is not null)
        {
            return survival;
        }
        var ping = RequestPlan.Of("*1\r\n$4\r\nPING\r\n"u8.ToArray(), limits);
        var transcript = await Transcript.RecordAsync(node.Port, "*1\r\n$4\r\nPING\r\n"u8.ToArray(), ping, new Random(0), ReplyTimeout, TimeSpan.Zero);
        if (transcript.Replies is not [{ Raw: [(byte)'+', (byte)'P', (byte)'O', (byte)'N', (byte)'G', ..] }])
        {
            return $"a fresh client's PING got {transcript}";
        }
        var resident = ResidentBytes(node.Pid);
        return resident > MaxResidentBytes ? $"{node.Name} uses {resident >> 20} MB resident memory (bound {MaxResidentBytes >> 20} MB)" : null;
    }

    private static string? Judge(RequestPlan plan, Transcript transcript)
    {
        if (transcript.Replies.Count < plan.ReplyCount)
        {
            return $"{plan.ReplyCount} requests got {transcript.Replies.Count} replies, then: {transcript.Ending}";
        }
        if (plan.Error is not null)
        {
            var last = transcript.Replies.Count > plan.ReplyCount ? transcript.Replies[^1] : null;
            if (last is null || !last.IsProtocolError)
            {
                // A reset may swallow the error line a server wrote just before closing (it had unread input).
                return transcript.Reset && transcript.Ending == Transcript.ClosedEnding ? null
                    : $"a protocol error ({plan.Error}) was answered with {last?.ToString() ?? "nothing"}, then: {transcript.Ending}";
            }
            return transcript.Ending == Transcript.ClosedEnding ? null : $"the connection was not closed after the protocol error: {transcript.Ending}";
        }
        var expected = plan.EndsWithQuit ? Transcript.ClosedEnding : plan.Complete ? Transcript.PongEnding : Transcript.OpenEnding;
        return transcript.Ending == expected ? null : $"expected the connection to end '{expected}', got: {transcript}";
    }

    private string? Survival()
    {
        // Failures logged before this target's first check are not its findings.
        _failuresLogged = _failuresLogged < 0 ? CountLoggedFailures() : _failuresLogged;
        if (node.HasExited)
        {
            return $"{node.Name} exited:\n{Tail(node.Output)}";
        }
        var logged = CountLoggedFailures();
        if (logged > _failuresLogged)
        {
            _failuresLogged = logged;
            return $"{node.Name} logged a failed connection (an exception escaped a command or the parser):\n{Tail(node.Output)}";
        }
        return null;
    }

    private int CountLoggedFailures() => ConnectionFailed().Count(node.Output);

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];

    private static long ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    // RespServer's Log.ConnectionFailed: an exception that escaped a session (its RespProtocolException is answered, not logged).
    [GeneratedRegex(@"connection \d+ failed")]
    private static partial Regex ConnectionFailed();
}
