using System.Net;

namespace RingKV.Net;

/// <summary>Parses <c>host:port</c> and <c>[v6]:port</c> endpoint strings.</summary>
public static class EndpointParser
{
    /// <exception cref="FormatException">The text is not host:port with a valid port.</exception>
    public static (string Host, int Port) Parse(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
        {
            throw new FormatException($"'{endpoint}' is not host:port");
        }
        var host = endpoint[..colon].Trim('[', ']');
        return (host, port);
    }

    public static IPEndPoint ToIPEndPoint(string host, int port) =>
        new(host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host), port);
}
