namespace RingKV.Nemesis;

/// <summary>
/// This machine cannot host a <see cref="NetworkLab"/>: not Linux, not root, or <c>ip netns</c> is missing or not
/// permitted (an unprivileged container). Tests catch it to report themselves as skipped rather than failed.
/// </summary>
public sealed class NetworkLabUnavailableException : Exception
{
    public NetworkLabUnavailableException()
        : this("network namespaces are unavailable")
    {
    }

    public NetworkLabUnavailableException(string message)
        : base("needs root and ip netns: " + message)
    {
    }

    public NetworkLabUnavailableException(string message, Exception innerException)
        : base("needs root and ip netns: " + message, innerException)
    {
    }
}
