using System.Globalization;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>A process' memory as the kernel accounts it (<c>/proc/PID/status</c>), for tests that bound what input may cost.</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size now (<c>VmRSS</c>), in bytes.</summary>
    public static long ResidentBytes(int pid) => Field(pid, "VmRSS:");

    /// <summary>Peak resident set size since the process started (<c>VmHWM</c>), in bytes.</summary>
    public static long PeakResidentBytes(int pid) => Field(pid, "VmHWM:");

    private static long Field(int pid, string name)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        // "VmRSS:	  123456 kB"
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
