namespace RingKV.Client;

/// <summary>
/// A node answered with an error (for example <c>NOREPLICAS</c> when too few replicas acknowledged a write), or no
/// replica of the key could be reached. For writes, the outcome of a failed command is unknown: it may have been
/// applied on some replicas.
/// </summary>
public sealed class RingKvException : Exception
{
    public RingKvException() { }

    public RingKvException(string message) : base(message) { }

    public RingKvException(string message, Exception innerException) : base(message, innerException) { }
}
