using System.Net;
using System.Net.Sockets;

namespace RingKV.Cli.Local;

/// <summary>
/// Ports free right now, for processes that must know each other's ports before any of them starts (a coordinator
/// group's <c>--peers</c>). The OS picks them; another process could take one before ours binds it, which on a test
/// machine's ephemeral range is rare enough (and fails loudly: the coordinator does not start).
/// </summary>
internal static class FreePorts
{
    /// <summary>Two distinct free ports on the loopback interface (a RESP port and a Raft port).</summary>
    public static (int First, int Second) Pair()
    {
        // Both listeners stay open until both ports are known, so the OS cannot hand out the same port twice.
        var first = new TcpListener(IPAddress.Loopback, 0);
        var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        try
        {
            return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        }
        finally
        {
            first.Stop();
            second.Stop();
        }
    }
}
