using RingKV.Cluster;

namespace RingKV.Client;

/// <summary>Settings of <see cref="RingKvClient"/>.</summary>
public sealed record RingKvClientOptions
{
    /// <summary>Consistency for this client's connections; null keeps each node's default (QUORUM).</summary>
    public Consistency? Consistency { get; init; }

    /// <summary>Sent with AUTH on every connection when the cluster runs with <c>--requirepass</c>.</summary>
    public string? Password { get; init; }

    /// <summary>Dial with TLS, trusting these settings' CAs (<see cref="Net.TlsSettings.ForClient"/>); null: plaintext.</summary>
    public Net.TlsSettings? Tls { get; init; }

    /// <summary>Never prints the password.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Consistency = {Consistency}, Password = {(Password is null ? "none" : "(set)")}, Tls = {Tls is not null}, ConnectTimeout = {ConnectTimeout}, CommandTimeout = {CommandTimeout}, MapRefreshInterval = {MapRefreshInterval}");
        return true;
    }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for one node before failing over to the next replica.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the cluster map is refreshed in the background.</summary>
    public TimeSpan MapRefreshInterval { get; init; } = TimeSpan.FromSeconds(2);
}
