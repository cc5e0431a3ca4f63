using System.Net;
using RingKV.Protocol;

namespace RingKV.Net;

/// <summary>
/// Per-connection state and command execution for one server role (coordinator or node).
/// The server calls <see cref="ExecuteAsync"/> for each request in arrival order, never concurrently for one
/// session, and flushes the replies once per received batch.
/// </summary>
public abstract class RespSession
{
    private static long s_nextId;

    protected RespSession(EndPoint? remoteEndPoint)
    {
        RemoteEndPoint = remoteEndPoint;
        Writer = new RespWriter(new System.Buffers.ArrayBufferWriter<byte>(1));
    }

    /// <summary>Unique per process, like Redis' client id.</summary>
    public long Id { get; } = Interlocked.Increment(ref s_nextId);

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The reply writer; points at the connection's output pipe during <see cref="ExecuteAsync"/>.</summary>
    public RespWriter Writer { get; }

    /// <summary>Set by a command (QUIT) to close the connection once the pending replies are flushed.</summary>
    public bool CloseRequested { get; protected set; }

    /// <summary>Client name from CLIENT SETNAME.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Executes one request and writes exactly one reply to <see cref="Writer"/>. Arguments are valid only until
    /// the returned task completes. Must not throw for bad requests: reply with an error instead; an exception
    /// closes the connection.
    /// </summary>
    public abstract ValueTask ExecuteAsync(RespRequest request);

    /// <summary>Called once when the connection closes, whatever the reason.</summary>
    public virtual void OnClosed() { }
}
