using System.IO.Pipelines;
using System.Net.Sockets;

namespace RingKV.Net;

/// <summary>
/// The replies of one server connection on their way to the socket: the session writes into a pipe, a send loop
/// drains the pipe into the socket, and the bytes flushed but not yet taken by the socket are counted
/// (<see cref="Pending"/>), which is what <c>client-output-buffer-limit</c> bounds.
/// </summary>
/// <remarks>
/// <para>
/// Why a pipe and a send loop rather than a pipe writer straight over the socket: such a writer's flush waits until
/// the socket has taken every byte, so a client that pipelines requests and never reads its replies would park its
/// session for good, unseen by any limit. Here the session goes on executing, the replies pile up in
/// <see cref="Pending"/>, and the server closes the connection once they pass the limit, as Redis does.
/// </para>
/// <para>
/// The send loop runs inline in <see cref="FlushAsync"/> (<see cref="PipeScheduler.Inline"/>): while the socket
/// takes a whole flush at once, which it does for every client that keeps up, a flush costs one socket write on the
/// session's own thread, as before. Only a write the socket cannot complete at once continues on the I/O completion,
/// concurrently with the session writing more. The pipe never pauses its writer (no threshold): bounding it is the
/// server's decision, made on <see cref="Pending"/>.
/// </para>
/// </remarks>
internal sealed class ConnectionOutput
{
    private readonly Pipe _pipe = new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 16 * 1024, useSynchronizationContext: false));
    private readonly Stream _stream;
    private readonly RespSession _session;
    private readonly Task _sending;
    private long _pending;

    public ConnectionOutput(Stream stream, RespSession session)
    {
        _stream = stream;
        _session = session;
        _sending = SendLoopAsync();
    }

    /// <summary>Where the session writes its replies; they reach the send loop at the next <see cref="FlushAsync"/>.</summary>
    public PipeWriter Writer => _pipe.Writer;

    /// <summary>Reply bytes flushed but not yet taken by the socket. Safe to read from any thread.</summary>
    public long Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Hands what the session wrote since the last flush to the send loop, which sends what the socket takes at
    /// once before this returns. Never waits for a slow reader. Called by the session's loop only.
    /// </summary>
    /// <returns>The reply bytes still waiting for the socket afterwards.</returns>
    /// <exception cref="IOException">The connection is gone: the send loop has stopped.</exception>
    public async ValueTask<long> FlushAsync()
    {
        Interlocked.Add(ref _pending, _pipe.Writer.UnflushedBytes);
        var flushed = await _pipe.Writer.FlushAsync();
        return flushed.IsCompleted ? throw new IOException("the connection closed while replies were being sent") : Pending;
    }

    /// <summary>
    /// Ends the output: what was flushed is still sent, for at most <paramref name="grace"/> (the last replies before a
    /// QUIT or a protocol error should arrive, but a client that does not read must not hold the connection open).
    /// </summary>
    public async Task CompleteAsync(TimeSpan grace)
    {
        await _pipe.Writer.CompleteAsync();
        try
        {
            await _sending.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            // The caller closes the socket next, which ends the send loop.
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _pipe.Reader;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync();
                foreach (var segment in read.Buffer)
                {
                    await _stream.WriteAsync(segment);
                    Interlocked.Add(ref _pending, -segment.Length);
                    _session.MarkActive();
                }
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The connection is gone (the peer left, or the server shut the socket): nothing more can be delivered,
            // and the session's own read fails the same way, which ends it.
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }
}
