using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace RingKV.Cluster.Coordinator;

/// <summary>
/// The last argument of <c>HEARTBEAT id epoch report peers</c>: how long the sending node has not heard from each
/// of its peers, as <c>node-2:120,node-3:15000</c> (peer id, <c>:</c>, whole milliseconds since the peer last
/// answered a probe; empty when the node has no peers). Written by nodes, read by the coordinator
/// (<see cref="Liveness.Reported"/>).
/// </summary>
/// <remarks>
/// The id is everything before an entry's last <c>:</c>, so ids may contain colons; an id with a comma, an empty
/// one or one longer than <see cref="MaxIdBytes"/> cannot be written and is left out, as are entries past
/// <see cref="MaxEntries"/>. Leaving evidence out is the safe side: the coordinator then judges that peer by the
/// other evidence it has, never by evidence that was not given.
/// </remarks>
public static class PeerEvidence
{
    /// <summary>Most entries one heartbeat carries; a cluster has far fewer nodes.</summary>
    public const int MaxEntries = 1024;

    /// <summary>Longest peer id, in UTF-8 bytes.</summary>
    public const int MaxIdBytes = 128;

    /// <summary>Writes <paramref name="silencesMs"/>, each value clamped to 0..<see cref="int.MaxValue"/>.</summary>
    public static string Format(IReadOnlyDictionary<string, long> silencesMs)
    {
        var text = new StringBuilder();
        var written = 0;
        foreach (var (id, silence) in silencesMs)
        {
            if (written == MaxEntries)
            {
                break;
            }
            if (!IsWritableId(id))
            {
                continue;
            }
            if (written++ > 0)
            {
                text.Append(',');
            }
            text.Append(id).Append(':').Append(Math.Clamp(silence, 0, int.MaxValue).ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>Reads what <see cref="Format"/> wrote.</summary>
    /// <returns>
    /// False when <paramref name="text"/> is malformed: an entry without <c>id:milliseconds</c>, an id that could not
    /// have been written, a value that is not 0..<see cref="int.MaxValue"/> in plain digits, a repeated id, or more
    /// than <see cref="MaxEntries"/> entries. The empty text is valid (no peers).
    /// </returns>
    public static bool TryParse(string text, [NotNullWhen(true)] out IReadOnlyDictionary<string, long>? silencesMs)
    {
        silencesMs = null;
        var parsed = new Dictionary<string, long>(StringComparer.Ordinal);
        if (text.Length == 0)
        {
            silencesMs = parsed;
            return true;
        }
        foreach (var range in text.AsSpan().Split(','))
        {
            var entry = text.AsSpan(range);
            var colon = entry.LastIndexOf(':');
            if (parsed.Count == MaxEntries || colon < 0
                || !int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var silence))
            {
                return false;
            }
            var id = entry[..colon].ToString();
            if (!IsWritableId(id) || !parsed.TryAdd(id, silence))
            {
                return false;
            }
        }
        silencesMs = parsed;
        return true;
    }

    private static bool IsWritableId(string id) =>
        id.Length > 0 && !id.Contains(',', StringComparison.Ordinal) && Encoding.UTF8.GetByteCount(id) <= MaxIdBytes;
}
