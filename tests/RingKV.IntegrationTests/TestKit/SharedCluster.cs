namespace RingKV.IntegrationTests.TestKit;

/// <summary>
/// One 3-node cluster shared by the tests of a class (<c>IClassFixture&lt;SharedCluster&gt;</c>): for tests that
/// neither kill nor restart anything and use their own keys, so starting a cluster per test would only cost time.
/// </summary>
public sealed class SharedCluster : IAsyncLifetime
{
    private ClusterFixture? _fixture;

    public ClusterFixture Fixture => _fixture ?? throw new InvalidOperationException("the shared cluster has not started");

    public async Task InitializeAsync() => _fixture = await ClusterFixture.StartAsync();

    public async Task DisposeAsync()
    {
        if (_fixture is not null)
        {
            await _fixture.DisposeAsync();
        }
    }
}
