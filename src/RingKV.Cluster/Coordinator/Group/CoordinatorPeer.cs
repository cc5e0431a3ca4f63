using System.Globalization;
using System.Net;

namespace RingKV.Cluster.Coordinator.Group;

/// <summary>
/// One member of the coordinator group as <c>--peers</c> names it: <c>host:port</c> (its RESP address, the one nodes
/// and clients dial) and optionally <c>@raftport</c>, the port its consensus traffic uses, as Redis Cluster writes
/// <c>ip:port@cport</c>. Without it the Raft port is the RESP port + <see cref="DefaultRaftPortOffset"/>.
/// </summary>
public sealed record CoordinatorPeer(string Host, int Port, int RaftPort)
{
    /// <summary>The RESP port + 20000 (+10000 is the HTTP port's default).</summary>
    public const int DefaultRaftPortOffset = 20000;

    /// <summary>The RESP address, as nodes and clients dial it.</summary>
    public string Endpoint => $"{Host}:{Port}";

    public override string ToString() => $"{Host}:{Port}@{RaftPort}";

    /// <summary>The address the Raft transport listens on and dials; host names are resolved once, at start.</summary>
    public IPEndPoint RaftEndPoint() =>
        new(IPAddress.TryParse(Host, out var address) ? address : Dns.GetHostAddresses(Host)[0], RaftPort);

    /// <exception cref="FormatException">Not <c>host:port</c> or <c>host:port@raftport</c> with ports in 1..65535.</exception>
    public static CoordinatorPeer Parse(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var address = at < 0 ? text : text[..at];
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !TryPort(address[(colon + 1)..], out var port))
        {
            throw new FormatException($"'{text}' is not host:port or host:port@raftport");
        }
        var raftPort = port + DefaultRaftPortOffset;
        if (at >= 0 ? !TryPort(text[(at + 1)..], out raftPort) : raftPort > 65535)
        {
            throw new FormatException(at >= 0 ? $"'{text}': the Raft port after '@' must be 1..65535"
                : $"'{text}': the default Raft port ({raftPort}) is past 65535; give one as host:port@raftport");
        }
        return new CoordinatorPeer(address[..colon].Trim('[', ']'), port, raftPort);
    }

    /// <summary>Parses a comma-separated list; duplicates (same RESP or Raft address) are an error.</summary>
    /// <exception cref="FormatException">An entry is malformed or repeated.</exception>
    public static IReadOnlyList<CoordinatorPeer> ParseList(string text)
    {
        var peers = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToArray();
        if (peers.Select(p => p.Endpoint).Distinct().Count() != peers.Length || peers.Select(p => $"{p.Host}:{p.RaftPort}").Distinct().Count() != peers.Length)
        {
            throw new FormatException($"'{text}' names a coordinator twice");
        }
        return peers;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
