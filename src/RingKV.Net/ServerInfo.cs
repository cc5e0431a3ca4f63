namespace RingKV.Net;

/// <summary>Process-wide facts reported by HELLO and INFO.</summary>
public static class ServerInfo
{
    public static string Version { get; } = typeof(ServerInfo).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";

    public static DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
}
