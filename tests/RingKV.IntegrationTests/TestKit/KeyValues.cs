using RingKV.Net;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>Bulk writes and checks of key/value sets, run concurrently in bounded batches.</summary>
public static class KeyValues
{
    private const int BatchSize = 100;

    /// <summary><paramref name="count"/> distinct keys under <paramref name="prefix"/>, each with its own value.</summary>
    public static Dictionary<string, string> Make(string prefix, int count) =>
        Enumerable.Range(0, count).ToDictionary(i => $"{prefix}:{i}", i => $"{prefix}-value-{i}");

    /// <summary>Writes every pair; returns one line per write that failed (empty when all were acknowledged).</summary>
    public static async Task<List<string>> WriteAsync(IReadOnlyDictionary<string, string> pairs, Func<string, string, Task> set)
    {
        var failures = new List<string>();
        foreach (var batch in pairs.Chunk(BatchSize))
        {
            var outcomes = await Task.WhenAll(batch.Select(async pair =>
            {
                try
                {
                    await set(pair.Key, pair.Value);
                    return null;
                }
                catch (Exception ex)
                {
                    return $"SET {pair.Key}: {ex.GetType().Name}: {ex.Message}";
                }
            }));
            failures.AddRange(outcomes.OfType<string>());
        }
        return failures;
    }

    /// <summary>Reads every key; returns one line per key that did not read back its value (empty when all did).</summary>
    public static async Task<List<string>> MismatchesAsync(IReadOnlyDictionary<string, string> expected, Func<string, Task<string?>> get)
    {
        var mismatches = new List<string>();
        foreach (var batch in expected.Chunk(BatchSize))
        {
            var outcomes = await Task.WhenAll(batch.Select(async pair =>
            {
                try
                {
                    var actual = await get(pair.Key);
                    return actual == pair.Value ? null : $"GET {pair.Key}: expected '{pair.Value}', got {(actual is null ? "(nil)" : $"'{actual}'")}";
                }
                catch (Exception ex)
                {
                    return $"GET {pair.Key}: {ex.GetType().Name}: {ex.Message}";
                }
            }));
            mismatches.AddRange(outcomes.OfType<string>());
        }
        return mismatches;
    }

    /// <summary>Deletes every key; returns one line per DEL that failed or removed nothing (empty when each removed its key).</summary>
    public static async Task<List<string>> DeleteAllAsync(IEnumerable<string> keys, Func<string, Task<long>> delete)
    {
        var failures = new List<string>();
        foreach (var batch in keys.Chunk(BatchSize))
        {
            var outcomes = await Task.WhenAll(batch.Select(async key =>
            {
                try
                {
                    var removed = await delete(key);
                    return removed == 1 ? null : $"DEL {key}: removed {removed} keys, expected 1";
                }
                catch (Exception ex)
                {
                    return $"DEL {key}: {ex.GetType().Name}: {ex.Message}";
                }
            }));
            failures.AddRange(outcomes.OfType<string>());
        }
        return failures;
    }

    /// <summary>
    /// Reads every key; returns one line per key that read a value although it must be gone (deleted or expired),
    /// empty when all read nil.
    /// </summary>
    public static async Task<List<string>> StillPresentAsync(IEnumerable<string> keys, Func<string, Task<string?>> get)
    {
        var present = new List<string>();
        foreach (var batch in keys.Chunk(BatchSize))
        {
            var outcomes = await Task.WhenAll(batch.Select(async key =>
            {
                try
                {
                    var actual = await get(key);
                    return actual is null ? null : $"{key}: expected (nil), got '{actual}'";
                }
                catch (Exception ex)
                {
                    return $"{key}: {ex.GetType().Name}: {ex.Message}";
                }
            }));
            present.AddRange(outcomes.OfType<string>());
        }
        return present;
    }

    /// <summary>SET through one connection (one node, no client-side routing); an error reply throws.</summary>
    public static async Task SetAsync(this RespConnection connection, string key, string value)
    {
        var reply = await connection.ExecuteAsync("SET", key, value);
        if (reply.IsError || reply.AsString() != "OK")
        {
            throw new InvalidOperationException($"SET {key} through {connection.Endpoint} answered {reply}");
        }
    }

    /// <summary>GET through one connection; an error reply throws.</summary>
    public static async Task<string?> GetAsync(this RespConnection connection, string key)
    {
        var reply = await connection.ExecuteAsync("GET", key);
        return reply.IsError ? throw new InvalidOperationException($"GET {key} through {connection.Endpoint} answered {reply}") : reply.AsString();
    }

    /// <summary>DEL of one key through one connection; returns how many keys it removed. An error reply throws.</summary>
    public static async Task<long> DeleteAsync(this RespConnection connection, string key)
    {
        var reply = await connection.ExecuteAsync("DEL", key);
        return reply.IsError ? throw new InvalidOperationException($"DEL {key} through {connection.Endpoint} answered {reply}") : reply.Integer;
    }

    /// <summary>At most <paramref name="count"/> lines of <paramref name="lines"/>, for assertion messages.</summary>
    public static string FirstLines(IReadOnlyCollection<string> lines, int count = 10) =>
        $"{lines.Count} in total; first {Math.Min(count, lines.Count)}:\n  " + string.Join("\n  ", lines.Take(count));
}
