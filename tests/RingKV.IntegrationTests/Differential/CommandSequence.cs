namespace RingKV.IntegrationTests.Differential;

/// <summary>Commands run in order on a freshly flushed keyspace; <paramref name="Name"/> identifies it in reports.</summary>
public sealed record CommandSequence(string Name, IReadOnlyList<RedisCommand> Commands);
