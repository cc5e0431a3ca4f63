namespace RingKV.Storage.Hints;

/// <summary>
/// A write that a replica missed, kept by the node that coordinated it until the replica can take it
/// (hinted handoff, as in Dynamo and Cassandra). <see cref="Sequence"/> orders hints of one target.
/// </summary>
public sealed record Hint(long Sequence, int Slot, byte[] Key, StoredRecord Record, long CreatedAtMs);
