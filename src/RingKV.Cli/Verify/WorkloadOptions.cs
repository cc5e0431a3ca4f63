namespace RingKV.Cli.Verify;

/// <summary>The bounded register workload of <c>ringkv verify</c>: how many clients, keys and operations, and for how long.</summary>
public sealed record WorkloadOptions
{
    /// <summary>Logical clients, each with one outstanding operation at a time (Jepsen's processes).</summary>
    public int Clients { get; init; } = 8;

    /// <summary>Keys the clients share; few keys make concurrent operations on one key, which is what is checked.</summary>
    public int Keys { get; init; } = 20;

    /// <summary>Upper bound of operations over all clients.</summary>
    public int Operations { get; init; } = 2_000;

    /// <summary>Upper bound of the workload's duration, whatever the operation count.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Share of writes (the rest are reads).</summary>
    public double WriteRatio { get; init; } = 0.5;

    /// <summary>A request without a reply after this long has an unknown outcome (for a write) and the connection is dropped.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Seed of the key and operation choices (the timing is never reproducible).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Prefix of the workload's keys, so a run does not collide with other data in the cluster.</summary>
    public string KeyPrefix { get; init; } = "verify:" + Guid.NewGuid().ToString("N")[..8] + ":";
}
