using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using RingKV.Net;
using RingKV.Protocol;

namespace RingKV.Cluster.Tests.Client;

/// <summary>
/// A RESP server on a free loopback port that answers every command with one scripted reply: its name as a bulk
/// string, or an error when <see cref="Error"/> is set. Counts the commands it served.
/// </summary>
internal sealed class FakeCoordinator : IAsyncDisposable
{
    private readonly RespServer _server;
    private int _served;

    public FakeCoordinator(string name)
    {
        Name = name;
        _server = new RespServer(new IPEndPoint(IPAddress.Loopback, 0), remote => new Session(remote, this), ServerLimits.Default, NullLogger.Instance);
        _server.Start();
    }

    public string Name { get; }

    /// <summary>The error every command is answered with (e.g. <c>NOLEADER ...</c>); null: answer <see cref="Name"/>.</summary>
    public string? Error { get; set; }

    public string Endpoint => $"127.0.0.1:{_server.LocalEndPoint.Port}";

    public int Served => Volatile.Read(ref _served);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class Session(EndPoint? remote, FakeCoordinator owner) : RespSession(remote)
    {
        public override ValueTask ExecuteAsync(RespRequest request)
        {
            Interlocked.Increment(ref owner._served);
            if (owner.Error is { } error) { Writer.WriteError(error); }
            else { Writer.WriteBulkString(owner.Name); }
            return ValueTask.CompletedTask;
        }
    }
}
