namespace RingKV.Storage.Hints;

/// <summary>Hints in process memory: for the in-memory engine, whose data dies with the process anyway.</summary>
public sealed class InMemoryHintStore : IHintStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedDictionary<long, Hint>> _queues = [];
    private long _sequence;

    public void Append(string targetNodeId, int slot, ReadOnlySpan<byte> key, StoredRecord record, long nowMs)
    {
        var keyCopy = key.ToArray();
        lock (_lock)
        {
            if (!_queues.TryGetValue(targetNodeId, out var queue))
            {
                _queues[targetNodeId] = queue = [];
            }
            var sequence = ++_sequence;
            queue[sequence] = new Hint(sequence, slot, keyCopy, record, nowMs);
        }
    }

    public IReadOnlyList<Hint> ReadOldest(string targetNodeId, int max)
    {
        lock (_lock)
        {
            return _queues.TryGetValue(targetNodeId, out var queue) ? [.. queue.Values.Take(max)] : [];
        }
    }

    public void Remove(string targetNodeId, long sequence)
    {
        lock (_lock)
        {
            if (_queues.TryGetValue(targetNodeId, out var queue) && queue.Remove(sequence) && queue.Count == 0)
            {
                _queues.Remove(targetNodeId);
            }
        }
    }

    public long Count(string targetNodeId)
    {
        lock (_lock)
        {
            return _queues.TryGetValue(targetNodeId, out var queue) ? queue.Count : 0;
        }
    }

    public IReadOnlyCollection<string> Targets()
    {
        lock (_lock)
        {
            return [.. _queues.Keys];
        }
    }

    public void Dispose()
    {
    }
}
