namespace RingKV.Fuzz.Servers;

/// <summary>A server process the socket targets talk to, and what they need to tell whether it survived.</summary>
internal interface IServerUnderTest
{
    string Name { get; }

    int Port { get; }

    int Pid { get; }

    bool HasExited { get; }

    /// <summary>What the process printed lately (its log), for failure messages and the logged-exception check.</summary>
    string Output { get; }
}
