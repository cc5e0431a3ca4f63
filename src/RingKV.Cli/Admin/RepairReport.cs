using System.Globalization;

namespace RingKV.Cli.Admin;

/// <summary>What one node's <c>REPAIR</c> (anti-entropy against every peer sharing its slots) compared and pulled.</summary>
public sealed record RepairReport(int Peers, long SlotsCompared, long SlotsDiffering, long KeysPulled, long BytesPulled, long ElapsedMs)
{
    /// <summary>
    /// Reads the reply's INFO-style <c>field:value</c> lines. Unknown fields are ignored and missing ones count as 0,
    /// so a node that reports more (or less) than this CLI knows still gets a row; a reply with none of the fields is
    /// not a repair report.
    /// </summary>
    /// <exception cref="FormatException">No known field, or a field that is not an integer.</exception>
    public static RepairReport Parse(string text)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || colon <= 0)
            {
                continue;
            }
            var name = line[..colon];
            if (!long.TryParse(line[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"REPAIR field {name} is not an integer: '{line[(colon + 1)..]}'");
            }
            fields[name] = value;
        }
        string[] known = ["peers", "slots_compared", "slots_differing", "keys_pulled", "bytes_pulled", "elapsed_ms"];
        if (!known.Any(fields.ContainsKey))
        {
            throw new FormatException($"not a REPAIR report: '{(text.Length > 80 ? text[..80] + "…" : text)}'");
        }
        long Field(string name) => fields.GetValueOrDefault(name);
        return new RepairReport((int)Field("peers"), Field("slots_compared"), Field("slots_differing"), Field("keys_pulled"), Field("bytes_pulled"), Field("elapsed_ms"));
    }
}
