using System.Diagnostics;
using RingKV.Client;

namespace RingKV.Bench.Rebalance;

/// <summary>
/// Closed-loop foreground load: <c>clients</c> workers, each awaiting one command at a time through a shared
/// <see cref="RingKvClient"/> (routed to the key's primary), GET or SET with equal probability on a random
/// preloaded key. Each worker records the latency of every successful command in Stopwatch ticks.
/// </summary>
internal sealed class LoadGenerator
{
    private readonly RingKvClient _client;
    private readonly int _keys;
    private readonly string _value;
    private readonly int _clients;
    private long _completed;

    public LoadGenerator(RingKvClient client, int keys, int valueSize, int clients)
    {
        _client = client;
        _keys = keys;
        _clients = clients;
        _value = new string('w', valueSize);
    }

    /// <summary>Commands finished so far (successful or not), over all runs; for progress lines.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Runs the load until <paramref name="stop"/> is cancelled and returns what it measured.</summary>
    public async Task<LoadResult> RunAsync(CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, _clients).Select(i => Task.Run(() => WorkerAsync(i, stop), CancellationToken.None)).ToArray();
        var results = await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = new long[results.Sum(r => r.Latencies.Count)];
        var offset = 0;
        foreach (var result in results)
        {
            result.Latencies.CopyTo(all, offset);
            offset += result.Latencies.Count;
        }
        Array.Sort(all);
        return new LoadResult(elapsed, all, results.Sum(r => r.Errors), results.Sum(r => r.Misses),
            results.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
    }

    private async Task<WorkerResult> WorkerAsync(int index, CancellationToken stop)
    {
        var random = new Random(index * 7919 + 1);
        var latencies = new List<long>(capacity: 1 << 16);
        long errors = 0;
        long misses = 0;
        string? firstError = null;
        while (!stop.IsCancellationRequested)
        {
            var key = "bench:" + random.Next(_keys);
            var isGet = random.Next(2) == 0;
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                if (isGet)
                {
                    if (await _client.GetAsync(key) is null)
                    {
                        // Every key was preloaded and none is deleted: a nil is a read that missed the data.
                        misses++;
                    }
                }
                else
                {
                    await _client.SetAsync(key, _value);
                }
                latencies.Add(Stopwatch.GetTimestamp() - t0);
            }
            catch (RingKvException ex)
            {
                errors++;
                firstError ??= ex.Message;
            }
            Interlocked.Increment(ref _completed);
        }
        return new WorkerResult(latencies, errors, misses, firstError);
    }

    private sealed record WorkerResult(List<long> Latencies, long Errors, long Misses, string? FirstError);
}

/// <summary>One measured window: successful latencies sorted ascending (Stopwatch ticks), errors, GETs that found nothing.</summary>
internal sealed record LoadResult(TimeSpan Elapsed, long[] SortedTicks, long Errors, long Misses, string? FirstError)
{
    public long Operations => SortedTicks.LongLength;

    public double OpsPerSecond => Elapsed.TotalSeconds > 0 ? Operations / Elapsed.TotalSeconds : 0;

    /// <summary>Nearest-rank percentile in milliseconds (<paramref name="q"/> in 0..1); NaN without samples.</summary>
    public double PercentileMs(double q)
    {
        if (SortedTicks.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(q * SortedTicks.Length) - 1;
        return SortedTicks[Math.Clamp(rank, 0, SortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
