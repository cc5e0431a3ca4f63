using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using RingKV.Cli.Local;
using RingKV.IntegrationTests.TestKit;
using RingKV.Net;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>
/// One node without replicas (N = 1, <c>--fsync always</c>) is killed with SIGKILL again and again while writes are
/// in flight: its disk is the only copy, so every write it acknowledged must be there after each restart.
/// </summary>
/// <remarks>
/// CI runs <see cref="DefaultCycles"/> cycles. The durability issue's long version is 50:
/// <c>RINGKV_CRASH_CYCLES=50 dotnet test tests/RingKV.IntegrationTests --filter CrashLoop</c>.
/// The kill moments come from a fixed seed, printed with the results; <c>RINGKV_CRASH_SEED</c> replays another run.
/// </remarks>
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    private const int DefaultCycles = 10;
    private const int DefaultSeed = 20261124;
    private const int Writers = 8;
    private const int MinWriteMs = 100;
    private const int MaxWriteMs = 600;

    // Bounds the writers should the kill not stop them (it breaks their connections): they give up this long after.
    private static readonly TimeSpan WriterGrace = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CrashLoop_FsyncAlways_NoAcknowledgedWriteLost()
    {
        var cycles = FromEnvironment("RINGKV_CRASH_CYCLES", DefaultCycles);
        var seed = FromEnvironment("RINGKV_CRASH_SEED", DefaultSeed);
        var random = new Random(seed);
        output.WriteLine($"seed {seed}, {cycles} cycles, {Writers} concurrent writers, kill after {MinWriteMs}-{MaxWriteMs} ms");

        await using var cluster = await ClusterFixture.StartAsync(nodes: 1, nodeArguments: ["--fsync", "always"], replicationFactor: 1);
        await cluster.VerifyAsync(async () =>
        {
            var acknowledged = new Dictionary<string, string>();
            long writes = 0;
            long cutOff = 0;
            var total = Stopwatch.StartNew();
            for (var cycle = 1; cycle <= cycles; cycle++)
            {
                var window = TimeSpan.FromMilliseconds(random.Next(MinWriteMs, MaxWriteMs + 1));
                var result = await WriteUntilKilledAsync(cluster.Nodes[0], cycle, window);
                Assert.True(result.Killed, $"cycle {cycle}: every writer stopped before the kill moment; failures: {KeyValues.FirstLines(result.FailuresBeforeKill)}");
                Assert.True(result.FailuresBeforeKill.Count == 0, $"cycle {cycle}: writes failed before the kill: {KeyValues.FirstLines(result.FailuresBeforeKill)}");
                Assert.True(result.Acknowledged.Count > 0, $"cycle {cycle}: no write was acknowledged before the kill; failures: {KeyValues.FirstLines(result.Failures)}");
                foreach (var (key, value) in result.Acknowledged)
                {
                    acknowledged[key] = value;
                }
                writes += result.Attempted;
                cutOff += result.Failures.Count;

                var restarted = await cluster.RestartNodeAsync(cluster.Nodes[0]);
                await cluster.WaitForConvergenceAsync();
                await using var reader = await ClusterFixture.ConnectAsync(restarted);
                var lost = await KeyValues.MismatchesAsync(acknowledged, reader.GetAsync);
                output.WriteLine($"cycle {cycle}: killed after {window.TotalMilliseconds:0} ms, {result.Attempted} writes, " +
                    $"{result.Acknowledged.Count} acknowledged, {result.Failures.Count} cut off; {acknowledged.Count} acknowledged so far, {lost.Count} lost");
                Assert.True(lost.Count == 0, $"cycle {cycle} (seed {seed}): acknowledged writes lost after kill -9 and restart: {KeyValues.FirstLines(lost)}");
            }
            output.WriteLine($"{cycles} cycles in {total.Elapsed.TotalSeconds:0.0} s: {writes} writes, {acknowledged.Count} acknowledged, {cutOff} cut off by kills, 0 lost");
            // Writes the kill cut off (at most one per writer and cycle) are what makes it a crash rather than a stop
            // between writes.
            Assert.True(cutOff > 0, "no write failed at any kill: every kill landed between writes, so no crash hit a write in flight");
        });
    }

    /// <summary>
    /// <see cref="Writers"/> clients, each on its own connection, write unique keys until the node is killed
    /// <paramref name="window"/> after they started, whatever they are doing at that moment.
    /// </summary>
    private static async Task<CycleResult> WriteUntilKilledAsync(ManagedProcess node, int cycle, TimeSpan window)
    {
        var acknowledged = new ConcurrentDictionary<string, string>();
        var failures = new ConcurrentQueue<string>();
        var failuresBeforeKill = new ConcurrentQueue<string>();
        var next = -1;
        var killed = 0;
        var connections = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => ClusterFixture.ConnectAsync(node)));
        var clock = Stopwatch.StartNew();

        async Task WriteAsync(RespConnection connection)
        {
            // Writers do not look at the kill flag: they keep writing until the dying node breaks their connection,
            // so requests are in flight at the instant it dies, not just when the kill is decided.
            while (clock.Elapsed < window + WriterGrace)
            {
                var n = Interlocked.Increment(ref next);
                var key = $"crashloop:{cycle}:{n}";
                var value = $"cycle-{cycle}-write-{n}";
                try
                {
                    await connection.SetAsync(key, value);
                    acknowledged[key] = value;
                }
                catch (Exception ex) when (ex is RespConnectionException or InvalidOperationException)
                {
                    // The kill flag is raised before the kill, so a failure seen without it has another cause.
                    (Volatile.Read(ref killed) == 1 ? failures : failuresBeforeKill).Enqueue($"SET {key}: {ex.Message}");
                    return;
                }
            }
        }

        try
        {
            var writers = connections.Select(c => Task.Run(() => WriteAsync(c))).ToList();
            // Not a wait for anything to settle: this delay is the randomly chosen crash moment, and the writers
            // keep requests in flight through it.
            await Task.WhenAny(Task.WhenAll(writers), Task.Delay(window));
            if (writers.Any(w => !w.IsCompleted))
            {
                Volatile.Write(ref killed, 1);
                node.Kill();
            }
            await Task.WhenAll(writers);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
        return new CycleResult(killed == 1, next + 1, acknowledged, [.. failures], [.. failuresBeforeKill]);
    }

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    /// <param name="Failures">Writes cut off by the kill (not acknowledged, so allowed to be lost).</param>
    /// <param name="FailuresBeforeKill">Writes the healthy node refused or dropped before the kill.</param>
    private sealed record CycleResult(bool Killed, int Attempted, IReadOnlyDictionary<string, string> Acknowledged,
        IReadOnlyList<string> Failures, IReadOnlyList<string> FailuresBeforeKill);
}
