using RingKV.Cluster.Client;
using RingKV.Net;

namespace RingKV.Cluster.Tests.Client;

/// <summary>Failover between the coordinators of a group, against real RESP servers on loopback.</summary>
public sealed class CoordinatorLinkTests : IAsyncDisposable
{
    private const string NoLeader = "NOLEADER no coordinator leader reachable from this coordinator; try another";

    // Port 1 on loopback refuses connections at once: a coordinator that is down.
    private const string Down = "127.0.0.1:1";

    private readonly RespConnectionPool _pool = new() { RetryBackoff = TimeSpan.Zero };
    private readonly FakeCoordinator _a = new("a");
    private readonly FakeCoordinator _b = new("b");
    private readonly FakeCoordinator _c = new("c");

    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _c.DisposeAsync();
    }

    private CoordinatorLink Link(params string[] endpoints) => new(endpoints, _pool);

    [Fact]
    public void ParseEndpoints_CommaList_TrimmedWithoutRepeats()
    {
        Assert.Equal(["127.0.0.1:5000", "127.0.0.1:5001"], CoordinatorLink.ParseEndpoints(" 127.0.0.1:5000,127.0.0.1:5001,127.0.0.1:5000,"));
        Assert.Equal(["[::1]:5000"], CoordinatorLink.ParseEndpoints("[::1]:5000"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:5000,host:port")]
    [InlineData("127.0.0.1:70000")]
    public void ParseEndpoints_NotAList_Throws(string text) =>
        Assert.Throws<FormatException>(() => CoordinatorLink.ParseEndpoints(text));

    [Fact]
    public async Task ExecuteAsync_FirstServes_OnlyTheFirstIsAsked()
    {
        var link = Link(_a.Endpoint, _b.Endpoint);

        var reply = await link.ExecuteAsync("PING");

        Assert.Equal("a", reply.AsString());
        Assert.Equal(_a.Endpoint, link.Current);
        Assert.Equal(0, _b.Served);
    }

    [Fact]
    public async Task ExecuteAsync_FirstDown_NextServesAndStaysCurrent()
    {
        var link = Link(Down, _b.Endpoint, _c.Endpoint);

        Assert.Equal("b", (await link.ExecuteAsync("HEARTBEAT", "node-1")).AsString());
        Assert.Equal("b", (await link.ExecuteAsync("HEARTBEAT", "node-1")).AsString());

        Assert.Equal(_b.Endpoint, link.Current);
        Assert.Equal(2, _b.Served);
        Assert.Equal(0, _c.Served);
    }

    [Fact]
    public async Task ExecuteAsync_NoLeader_MovesOnAndRemembersWhoServed()
    {
        _a.Error = NoLeader;
        var link = Link(_a.Endpoint, _b.Endpoint);

        await link.ExecuteAsync("CLUSTER_MAP");
        var second = await link.ExecuteAsync("CLUSTER_MAP");

        Assert.Equal("b", second.AsString());
        Assert.Equal(1, _a.Served); // the second call went straight to b
        Assert.Equal(2, _b.Served);
    }

    [Fact]
    public async Task ExecuteAsync_CurrentStopsServing_WrapsAroundTheList()
    {
        var link = Link(_a.Endpoint, _b.Endpoint, _c.Endpoint);
        _a.Error = NoLeader;
        Assert.Equal("b", (await link.ExecuteAsync("PING")).AsString());

        _a.Error = null;
        _b.Error = NoLeader;
        _c.Error = NoLeader;

        Assert.Equal("a", (await link.ExecuteAsync("PING")).AsString());
        Assert.Equal(_a.Endpoint, link.Current);
    }

    [Fact]
    public async Task ExecuteAsync_OtherErrorReply_ReturnedWithoutTryingOthers()
    {
        _a.Error = "UNKNOWNNODE node is not registered; register again";
        var link = Link(_a.Endpoint, _b.Endpoint);

        var reply = await link.ExecuteAsync("HEARTBEAT", "node-1", "3");

        Assert.True(reply.IsError);
        Assert.StartsWith("UNKNOWNNODE", reply.AsString());
        Assert.Equal(0, _b.Served);
    }

    [Fact]
    public async Task ExecuteAsync_ErrorThatOnlyStartsLikeNoLeader_IsAnAnswer()
    {
        _a.Error = "NOLEADERSHIP is not our error";
        var link = Link(_a.Endpoint, _b.Endpoint);

        Assert.True((await link.ExecuteAsync("PING")).IsError);
        Assert.Equal(0, _b.Served);
    }

    [Fact]
    public async Task ExecuteAsync_NobodyHasALeader_ThrowsAfterAskingEachOnce()
    {
        _a.Error = _b.Error = _c.Error = NoLeader;
        var link = Link(_a.Endpoint, _b.Endpoint, _c.Endpoint);

        var failure = await Assert.ThrowsAsync<RespConnectionException>(() => link.ExecuteAsync("HEARTBEAT", "node-1"));

        Assert.Contains("NOLEADER", failure.Message);
        Assert.Equal([1, 1, 1], new[] { _a.Served, _b.Served, _c.Served });
    }

    [Fact]
    public async Task ExecuteAsync_AllDown_ThrowsTheConnectionFailure()
    {
        var link = Link(Down, "127.0.0.1:2");

        var failure = await Assert.ThrowsAsync<RespConnectionException>(() => link.ExecuteAsync("PING"));

        Assert.False(failure.Refused);
    }

    [Fact]
    public async Task ExecuteAsync_CredentialsRefused_ThrowsAtOnce()
    {
        // The handshake is answered with an error, as a coordinator answers a wrong cluster secret.
        _a.Error = "WRONGPASS invalid username-password pair or user is disabled.";
        await using var pool = new RespConnectionPool { Handshake = [["AUTH", "ringkv-cluster", "wrong"]] };
        var link = new CoordinatorLink([_a.Endpoint, _b.Endpoint], pool);

        var failure = await Assert.ThrowsAsync<RespConnectionException>(() => link.ExecuteAsync("PING"));

        Assert.True(failure.Refused);
        Assert.Equal(0, _b.Served);
        Assert.Equal(_a.Endpoint, link.Current);
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrentCallers_AllServedAndAgreeOnCurrent()
    {
        _a.Error = NoLeader;
        var link = Link(_a.Endpoint, Down, _b.Endpoint);

        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => link.ExecuteAsync("PING")));

        Assert.All(replies, r => Assert.Equal("b", r.AsString()));
        Assert.Equal(_b.Endpoint, link.Current);
    }
}
