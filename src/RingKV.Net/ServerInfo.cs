namespace RingKV.Net;

/// <summary>Process-wide facts reported by HELLO and INFO.</summary>
public static class ServerInfo
{
    public static string Version { get; } = typeof(ServerInfo).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";

    /// <summary>When this process started (INFO <c>uptime_in_seconds</c>).</summary>
    /// <remarks>Taken from the process, not from a static initializer, which would run at the first INFO.</remarks>
    public static DateTimeOffset StartedAt { get; } = new(System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime());
}
