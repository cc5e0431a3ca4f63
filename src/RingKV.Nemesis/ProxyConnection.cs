using System.Net;
using System.Net.Sockets;

namespace RingKV.Nemesis;

/// <summary>
/// One accepted connection of a <see cref="FaultProxy"/> and its upstream twin, with a pump per direction.
/// </summary>
/// <remarks>
/// <see cref="Abort"/> may be called from any thread, any number of times; it resets both sockets (RST), which is
/// what a peer of a crashed process or a refused port sees.
/// </remarks>
internal sealed class ProxyConnection : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly FaultProxy _proxy;
    private readonly Socket _client;
    private readonly long _number;
    private readonly CancellationTokenSource _abort = new();
    private Socket? _upstream;
    private int _aborted;

    public ProxyConnection(FaultProxy proxy, Socket client, long number)
    {
        _proxy = proxy;
        _client = client;
        _number = number;
    }

    /// <summary>Connects upstream and forwards until both directions ended or the connection was aborted. Never throws.</summary>
    public async Task RunAsync(IPEndPoint target)
    {
        try
        {
            // A partitioned peer's SYN would not arrive either: the target sees the connection only once traffic may
            // flow. Meanwhile the client's bytes wait in its socket buffer.
            if (!await _proxy.WaitWhileBlackholedAsync(_abort.Token))
            {
                Abort();
                return;
            }
            var upstream = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            // Published before connecting so that an Abort during the connect resets it too; the full fence pairs
            // with Abort's, so one of the two sides always sees the other.
            Interlocked.Exchange(ref _upstream, upstream);
            if (Volatile.Read(ref _aborted) != 0)
            {
                Reset(upstream);
                return;
            }
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token))
            {
                connect.CancelAfter(ConnectTimeout);
                await upstream.ConnectAsync(target, connect.Token);
            }
            _client.NoDelay = true;
            await Task.WhenAll(
                new ProxyPump(_proxy, _client, upstream, toTarget: true, _proxy.NewRandom(_number, 0), Abort, _abort.Token).RunAsync(),
                new ProxyPump(_proxy, upstream, _client, toTarget: false, _proxy.NewRandom(_number, 1), Abort, _abort.Token).RunAsync());
        }
        catch (Exception)
        {
            // The target refused or did not answer in time, or the proxy is being disposed.
            Abort();
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Closes both sockets; <see cref="RunAsync"/> calls it when it ends. <see cref="Abort"/> stays safe to call.</summary>
    public void Dispose()
    {
        _client.Dispose();
        Volatile.Read(ref _upstream)?.Dispose();
        // Whoever flips _aborted first owns the token source: a concurrent Abort must not cancel a disposed one.
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            _abort.Dispose();
        }
    }

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }
        _abort.Cancel();
        Reset(_client);
        if (Volatile.Read(ref _upstream) is { } upstream)
        {
            Reset(upstream);
        }
    }

    /// <summary>Closes with SO_LINGER 0, so the peer gets an RST instead of an orderly FIN.</summary>
    internal static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception)
        {
            // Already closed or never connected: nothing to reset.
        }
    }
}
