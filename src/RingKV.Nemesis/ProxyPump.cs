using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace RingKV.Nemesis;

/// <summary>
/// One direction of a proxied connection: a reader that stamps every chunk with its due time under the behaviour in
/// force when it was read, and a writer that forwards chunks in order once due and while the proxy is not
/// blackholed. The queue between them is bounded, so a slow or blackholed direction pushes back on its sender
/// (TCP's own flow control then stops the sender) instead of buffering without limit.
/// </summary>
/// <remarks>
/// A pump never throws: any failure of either side calls <c>fail</c>, which resets the whole connection and
/// cancels both pumps. The end of the stream (FIN) is forwarded after the last chunk, so half-closes pass through.
/// </remarks>
internal sealed class ProxyPump
{
    private const int ChunkSize = 16 * 1024;
    private const int MaxQueuedChunks = 32; // at most 512 KiB held per direction

    private readonly FaultProxy _proxy;
    private readonly Socket _source;
    private readonly Socket _destination;
    private readonly bool _toTarget;
    private readonly Random _random;
    private readonly Action _fail;
    private readonly CancellationToken _aborted;
    private readonly Channel<ProxyChunk> _queue = Channel.CreateBounded<ProxyChunk>(
        new BoundedChannelOptions(MaxQueuedChunks) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private long _lastDue;

    public ProxyPump(FaultProxy proxy, Socket source, Socket destination, bool toTarget, Random random, Action fail, CancellationToken aborted)
    {
        _proxy = proxy;
        _source = source;
        _destination = destination;
        _toTarget = toTarget;
        _random = random;
        _fail = fail;
        _aborted = aborted;
    }

    public Task RunAsync() => Task.WhenAll(ReadAsync(), WriteAsync());

    private async Task ReadAsync()
    {
        var buffer = new byte[ChunkSize];
        try
        {
            while (true)
            {
                var read = await _source.ReceiveAsync(buffer, SocketFlags.None, _aborted);
                if (read == 0)
                {
                    break;
                }
                await _queue.Writer.WriteAsync(new ProxyChunk(buffer.AsSpan(0, read).ToArray(), DueTime()), _aborted);
            }
            _queue.Writer.TryComplete();
        }
        catch (Exception)
        {
            // Reset, disposal or abort: whatever it was, the connection is over for both directions.
            _queue.Writer.TryComplete();
            _fail();
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            await foreach (var chunk in _queue.Reader.ReadAllAsync(_aborted))
            {
                await WaitUntilAsync(chunk.Due);
                if (!await _proxy.WaitWhileBlackholedAsync(_aborted))
                {
                    _fail();
                    return;
                }
                for (var sent = 0; sent < chunk.Bytes.Length;)
                {
                    sent += await _destination.SendAsync(chunk.Bytes.AsMemory(sent), SocketFlags.None, _aborted);
                }
                _proxy.CountForwarded(_toTarget, chunk.Bytes.Length);
            }
            // The FIN is part of the stream: a blackhole holds it like any byte.
            if (!await _proxy.WaitWhileBlackholedAsync(_aborted))
            {
                _fail();
                return;
            }
            _destination.Shutdown(SocketShutdown.Send);
        }
        catch (Exception)
        {
            _fail();
        }
    }

    // Called by the reader only, so _lastDue and _random need no lock.
    private long DueTime()
    {
        var behavior = _proxy.Behavior;
        var hold = TimeSpan.Zero;
        if (behavior.Kind == FaultKind.Delay)
        {
            hold = behavior.Latency + behavior.Jitter * _random.NextDouble();
        }
        else if (behavior.Kind == FaultKind.Loss && _random.NextDouble() < behavior.Probability)
        {
            hold = behavior.Stall;
            _proxy.CountStall();
        }
        var due = Stopwatch.GetTimestamp() + (long)(hold.TotalSeconds * Stopwatch.Frequency);
        // A chunk never overtakes the one before it: a stalled chunk blocks the stream behind it, as in TCP.
        _lastDue = Math.Max(due, _lastDue);
        return _lastDue;
    }

    private async Task WaitUntilAsync(long due)
    {
        // Task.Delay may wake a little early (millisecond rounding); loop so the hold is a true lower bound.
        TimeSpan remaining;
        while ((remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due)) > TimeSpan.Zero)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)), _aborted);
        }
    }
}
