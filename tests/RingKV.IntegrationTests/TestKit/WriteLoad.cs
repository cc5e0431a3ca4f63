using System.Collections.Concurrent;
using System.Diagnostics;
using RingKV.Client;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>
/// Continuous writes while a test changes the cluster, bounded in count and time. Each writer owns its keys
/// (key i belongs to writer i mod Writers) and has one write in flight, so the last acknowledged value of every key
/// is exactly what a later read must return. Half the writes overwrite preloaded keys, half create new ones.
/// </summary>
public sealed class WriteLoad : IAsyncDisposable
{
    private readonly RingKvClient _client;
    private readonly int _preloaded;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, string> _acknowledged = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _writers;
    private long _operations;
    private long _created;
    private long _acknowledgedCount;

    private WriteLoad(RingKvClient client, string prefix, int preloaded, int writers, long maxOperations, TimeSpan maxDuration, int delayMs)
    {
        _client = client;
        _prefix = prefix;
        _preloaded = preloaded;
        MaxOperations = maxOperations;
        MaxDuration = maxDuration;
        _writers = [.. Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(w, writers, delayMs)))];
    }

    public long MaxOperations { get; }

    public TimeSpan MaxDuration { get; }

    /// <summary>Writes acknowledged so far.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledgedCount);

    /// <summary>New keys created (acknowledged) so far.</summary>
    public long Created => Interlocked.Read(ref _created);

    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Every key this load acknowledged, with its last acknowledged value.</summary>
    public IReadOnlyDictionary<string, string> Expected => _acknowledged;

    /// <summary>Starts writing over preloaded keys <c>{prefix}{0..preloaded-1}</c> and new keys <c>{prefix}new:{n}</c>.</summary>
    /// <param name="delayMs">Pause after each write per writer, to keep the rate moderate on a 2-core machine.</param>
    public static WriteLoad Start(RingKvClient client, string prefix, int preloaded, int writers = 4, long maxOperations = 200_000,
        TimeSpan? maxDuration = null, int delayMs = 1) =>
        new(client, prefix, preloaded, writers, maxOperations, maxDuration ?? TimeSpan.FromSeconds(120), delayMs);

    /// <summary>Stops the writers and waits for their last writes.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writers);
        return _clock.Elapsed;
    }

    private async Task WriteAsync(int writer, int writers, int delayMs)
    {
        var random = new Random(writer);
        var sequence = 0;
        var created = 0;
        while (!_stop.IsCancellationRequested && _clock.Elapsed < MaxDuration && Interlocked.Increment(ref _operations) <= MaxOperations)
        {
            sequence++;
            string key;
            if (_preloaded > 0 && random.Next(2) == 0)
            {
                // A preloaded key this writer owns.
                var index = random.Next(_preloaded / writers) * writers + writer;
                key = index < _preloaded ? $"{_prefix}{index}" : $"{_prefix}{writer}";
            }
            else
            {
                key = $"{_prefix}new:{writer}:{created++}";
            }
            var value = $"w{writer}-s{sequence}";
            try
            {
                await _client.SetAsync(key, value);
                if (_acknowledged.TryAdd(key, value) && key.Contains(":new:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _created);
                }
                _acknowledged[key] = value;
                Interlocked.Increment(ref _acknowledgedCount);
            }
            catch (RingKvException ex)
            {
                _failures.Enqueue($"SET {key}: {ex.Message}");
            }
            if (delayMs > 0)
            {
                await Task.Delay(delayMs);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
