namespace RingKV.Node.Keyspace;

/// <summary>A whole-keyspace command could not reach any replica of some slot; the message is the client's error.</summary>
public sealed class KeyspaceUnavailableException(string message) : Exception(message);
