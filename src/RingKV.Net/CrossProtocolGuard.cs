using System.Text;
using RingKV.Protocol;

namespace RingKV.Net;

/// <summary>
/// Recognizes an HTTP request sent to the RESP port, the way a web page makes a browser talk to a local Redis
/// ("cross protocol scripting"): the server closes such a connection before executing anything, since every line of
/// the request, the body included, would otherwise run as an inline command.
/// </summary>
/// <remarks>
/// Redis closes a connection that sends <c>POST</c> or <c>Host:</c> as a command (securityWarningCommand); a browser
/// cannot leave out the Host header, and POST is how a page sends a body. RingKV also has a PUT command, and its
/// inline form would store the request line of an HTTP PUT, so an inline line shaped as an HTTP request line
/// (<c>METHOD target HTTP/x</c>) is refused too; a real GET or PUT never has that shape by accident.
/// </remarks>
internal static class CrossProtocolGuard
{
    private static readonly byte[][] s_methods =
        [.. new[] { "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH" }.Select(System.Text.Encoding.ASCII.GetBytes)];

    /// <summary>Checked for every request, so it costs two length comparisons for an ordinary command.</summary>
    public static bool LooksLikeHttp(RespRequest request)
    {
        var name = request[0];
        if (Ascii.EqualsIgnoreCase(name, "POST"u8) || Ascii.EqualsIgnoreCase(name, "Host:"u8))
        {
            return true;
        }
        if (!request.IsInline || request.Count != 3 || !request[2].StartsWith("HTTP/"u8))
        {
            return false;
        }
        foreach (var method in s_methods)
        {
            if (Ascii.EqualsIgnoreCase(name, method))
            {
                return true;
            }
        }
        return false;
    }
}
