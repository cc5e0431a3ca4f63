using System.Globalization;
using System.Text;

namespace RingKV.Net;

/// <summary>INFO sections every role shares (<c># Clients</c>, <c># Memory</c>) and the verbatim-string reply INFO uses.</summary>
public abstract partial class ServerSession
{
    // The largest GC heap INFO has seen: Redis' used_memory_peak, sampled when INFO runs rather than on every
    // allocation, so it is a lower bound of the true peak.
    private static long s_peakMemory;

    /// <summary>
    /// Appends the <c># Clients</c> section with Redis 7.0's field names, ending with an empty line like the other
    /// sections. Fields RingKV has no counterpart for (blocking, tracking, cluster bus) are 0.
    /// </summary>
    protected void AppendClientsInfo(StringBuilder info)
    {
        info.Append("# Clients\nconnected_clients:").Append(Server?.ConnectionCount ?? 1)
            .Append("\ncluster_connections:0\nmaxclients:").Append(Limits.MaxClients)
            .Append("\nclient_recent_max_input_buffer:0\nclient_recent_max_output_buffer:0\nblocked_clients:0\ntracking_clients:0")
            .Append("\nclients_in_timeout_table:0\n\n");
    }

    /// <summary>
    /// Appends the <c># Memory</c> section with Redis 7.0's field names, ending with an empty line. used_memory is
    /// the managed heap (<see cref="GC.GetTotalMemory(bool)"/>); native memory (RocksDB's caches and memtables) only
    /// shows in used_memory_rss, the process working set, so Redis' mem_fragmentation_ratio (rss / used) would
    /// mislead and is left out. mem_allocator is <c>dotnet</c>; gc_* lines are RingKV's own.
    /// </summary>
    protected static void AppendMemoryInfo(StringBuilder info)
    {
        var used = GC.GetTotalMemory(forceFullCollection: false);
        var peak = InterlockedMax(ref s_peakMemory, used);
        var rss = Environment.WorkingSet;
        // Only the configured limit is read from GCMemoryInfo: its heap figures describe the last collection and
        // are all zero until the first one.
        var gc = GC.GetGCMemoryInfo();
        info.Append("# Memory\nused_memory:").Append(used)
            .Append("\nused_memory_human:").Append(HumanBytes(used))
            .Append("\nused_memory_rss:").Append(rss)
            .Append("\nused_memory_rss_human:").Append(HumanBytes(rss))
            .Append("\nused_memory_peak:").Append(peak)
            .Append("\nused_memory_peak_human:").Append(HumanBytes(peak))
            .Append("\nused_memory_peak_perc:").Append(Percent(used, peak))
            .Append("\ntotal_system_memory:").Append(gc.TotalAvailableMemoryBytes)
            .Append("\ntotal_system_memory_human:").Append(HumanBytes(gc.TotalAvailableMemoryBytes))
            .Append("\nmaxmemory:0\nmaxmemory_human:0B\nmaxmemory_policy:noeviction\nmem_allocator:dotnet")
            .Append("\ngc_total_allocated:").Append(GC.GetTotalAllocatedBytes())
            .Append("\ngc_collections:").Append(GC.CollectionCount(0)).Append(',').Append(GC.CollectionCount(1)).Append(',').Append(GC.CollectionCount(2))
            .Append("\n\n");
    }

    /// <summary>Redis' bytesToHuman: B below 1 KiB, else two decimals and K, M, G, T, P.</summary>
    public static string HumanBytes(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + "B";
        }
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < 5)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("0.00", CultureInfo.InvariantCulture) + " KMGTP"[unit];
    }

    /// <summary>
    /// A text reply: RESP3's verbatim string (<c>=len\r\ntxt:...</c>) after HELLO 3, a bulk string in RESP2, as Redis
    /// answers INFO, CLIENT INFO and CLIENT LIST.
    /// </summary>
    private void WriteVerbatim(string text)
    {
        if (Writer.ProtocolVersion < 3)
        {
            Writer.WriteBulkString(text);
            return;
        }
        var body = Encoding.UTF8.GetBytes(text);
        Writer.WriteRaw(Encoding.ASCII.GetBytes($"={body.Length + 4}\r\ntxt:"));
        Writer.WriteRaw(body);
        Writer.WriteRaw("\r\n"u8);
    }

    private static string Percent(long part, long whole) =>
        (whole > 0 ? 100.0 * part / whole : 0).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static long InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return value;
            }
            current = seen;
        }
        return current;
    }
}
