using System.Text;
using RingKV.Client;
using RingKV.Cluster.Map;
using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests.Client;

/// <summary>
/// A node killed while it holds a request may still accept connections for a moment as it dies. The client's write
/// to it is ambiguous (it may have run), and an application retries an idempotent write; that retry must go to the
/// next replica, not to the dying node again. CoordinatorGroupTests met this: its retried SET reached the node being
/// killed a second time and failed the same way.
/// </summary>
public sealed class ClientSilentNodeTests
{
    [Fact]
    public async Task SetAsync_AfterThePrimaryLeftAWriteUnanswered_TheRetryGoesToTheNextReplica()
    {
        ClusterMap? map = null;
        var setsOnReplica = 0;
        // The primary serves the map, then takes every SET and closes the connection without a reply; it keeps
        // accepting connections, as a process still being torn down does.
        await using var primary = new FakeRespServer(command => Task.FromResult(command[0] switch
        {
            "CLUSTER_MAP" => FakeRespServer.Bulk(map!.ToJson()),
            _ => null,
        }));
        await using var replica = new FakeRespServer(command =>
        {
            if (command[0] == "SET")
            {
                Interlocked.Increment(ref setsOnReplica);
                return Task.FromResult<byte[]?>(FakeRespServer.Simple("OK"));
            }
            return Task.FromResult<byte[]?>(command[0] == "CLUSTER_MAP" ? FakeRespServer.Bulk(map!.ToJson()) : Encoding.ASCII.GetBytes("-ERR unexpected\r\n"));
        });
        map = new ClusterMap(1, 2, 16, [new NodeEntry("primary", "127.0.0.1", primary.Port, NodeState.Up), new NodeEntry("replica", "127.0.0.1", replica.Port, NodeState.Up)]);
        var key = Enumerable.Range(0, 1000).Select(i => $"silent-{i}").First(k => map.PreferenceListForKey(Encoding.UTF8.GetBytes(k))[0].Id == "primary");

        await using var client = await RingKvClient.ConnectAsync(primary.Endpoint, new RingKvClientOptions { CommandTimeout = TimeSpan.FromSeconds(5) });
        var ambiguous = await Assert.ThrowsAsync<RingKvException>(() => client.SetAsync(key, "v"));
        Assert.Contains("may or may not have been applied", ambiguous.Message, StringComparison.Ordinal);

        await client.SetAsync(key, "v");
        Assert.Equal(1, setsOnReplica);
    }
}
