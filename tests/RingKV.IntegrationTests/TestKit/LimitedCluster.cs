namespace RingKV.IntegrationTests.TestKit;

/// <summary>
/// A one-node cluster started with small limits (<see cref="NodeArguments"/>), shared by the tests of
/// <see cref="LimitsTests"/> so that each limit is reached with a few megabytes instead of Redis' gigabyte defaults.
/// </summary>
public sealed class LimitedCluster : IAsyncLifetime
{
    public const int MaxArguments = 1000;
    public const int MaxInlineLength = 1024;
    public const long QueryBufferLimit = 2 * 1024 * 1024;
    public const long OutputBufferLimit = 4 * 1024 * 1024;
    public const int MaxPatternLength = 64;

    /// <summary>Every limit but proto-max-bulk-len, maxclients and timeout, which tests change with CONFIG SET.</summary>
    public static readonly IReadOnlyList<string> NodeArguments =
    [
        "--storage", "memory",
        "--proto-max-multibulk-len", "1000",
        "--proto-inline-max-size", "1kb",
        "--client-query-buffer-limit", "2mb",
        "--client-output-buffer-limit", "4mb",
        "--max-pattern-len", "64",
    ];

    private ClusterFixture? _fixture;

    public ClusterFixture Fixture => _fixture ?? throw new InvalidOperationException("the limited cluster has not started");

    public async Task InitializeAsync() => _fixture = await ClusterFixture.StartAsync(nodes: 1, replicationFactor: 1, nodeArguments: NodeArguments);

    public async Task DisposeAsync()
    {
        if (_fixture is not null)
        {
            await _fixture.DisposeAsync();
        }
    }
}
