namespace RingKV.Node;

/// <summary>Process-wide counters reported by INFO. Updated with interlocked increments from any thread.</summary>
public sealed class NodeStats
{
    private long _commands;
    private long _connections;

    public long CommandsProcessed => Interlocked.Read(ref _commands);

    public long ConnectionsReceived => Interlocked.Read(ref _connections);

    public void CommandProcessed() => Interlocked.Increment(ref _commands);

    public void ConnectionReceived() => Interlocked.Increment(ref _connections);

    /// <summary>CONFIG RESETSTAT: counts start again from zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _commands, 0);
        Interlocked.Exchange(ref _connections, 0);
    }
}
