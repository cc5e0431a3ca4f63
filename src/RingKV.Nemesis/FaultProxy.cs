using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RingKV.Nemesis;

/// <summary>
/// A TCP proxy that injects faults into the connections it forwards: delay with jitter, "loss" (retransmission
/// stalls), blackholes and resets. Our own stand-in for <c>tc netem</c>, which needs kernel modules we may not have.
/// </summary>
/// <remarks>
/// <para>How a partition test uses it: start one proxy per node in front of the node's port and start the node with
/// <c>--advertise-port</c> set to the proxy's port, so the coordinator's map (and so every peer) reaches the node
/// through its proxy while the test still talks to the node directly. Then switch the proxy at run time:</para>
/// <code>
/// await using var proxy = FaultProxy.Start(target: null);         // port known before the node starts
/// // start the node with --advertise-port {proxy.LocalEndPoint.Port}, then:
/// proxy.Target = new IPEndPoint(IPAddress.Loopback, nodePort);
/// proxy.Blackhole();   // peers time out talking to the node: it is partitioned from them
/// proxy.Pass();        // healed; held bytes are delivered late, never lost
/// </code>
/// <para>A proxy only cuts the traffic that goes through it, i.e. towards the node. For symmetric partitions that
/// also cut the node's own outgoing connections, use <see cref="NetworkLab"/>.</para>
/// <para>Thread-safety: every member may be called concurrently. A behaviour change applies to existing and new
/// connections at once, except that chunks already stamped with a delay keep it. Determinism: with a seed, every
/// connection and direction draws from its own generator seeded from (seed, connection number, direction), so the
/// same sequence of connections and reads gives the same delays and stalls; how TCP splits a stream into reads
/// is up to the kernel, though.</para>
/// </remarks>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly int? _seed;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<ProxyConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private FaultBehavior _behavior = FaultBehavior.Pass;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IPEndPoint? _target;
    private long _accepted;
    private long _bytesToTarget;
    private long _bytesFromTarget;
    private long _stalls;

    private FaultProxy(Socket listener, IPEndPoint? target, int? seed)
    {
        _listener = listener;
        _target = target;
        _seed = seed;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Listens on <paramref name="listenAddress"/> (default 127.0.0.1) and forwards every connection to <paramref name="target"/>.</summary>
    /// <param name="target">Where connections go; null until <see cref="Target"/> is set (connections meanwhile are reset).</param>
    /// <param name="port">0 (default) for a free port; <see cref="LocalEndPoint"/> tells which.</param>
    /// <param name="seed">Makes delays and stalls reproducible; null draws from a shared random source.</param>
    /// <exception cref="SocketException">The address could not be bound.</exception>
    public static FaultProxy Start(IPEndPoint? target, IPAddress? listenAddress = null, int port = 0, int? seed = null)
    {
        listenAddress ??= IPAddress.Loopback;
        var listener = new Socket(listenAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(listenAddress, port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new FaultProxy(listener, target, seed);
    }

    /// <summary>Where clients connect.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary><c>host:port</c> of <see cref="LocalEndPoint"/>, as RingKV options and clients take it.</summary>
    public string Endpoint => LocalEndPoint.ToString();

    /// <summary>Where new connections are forwarded; changing it leaves existing connections where they are.</summary>
    public IPEndPoint? Target
    {
        get => Volatile.Read(ref _target);
        set => Volatile.Write(ref _target, value);
    }

    /// <summary>The behaviour in force; setting it is the same as calling the matching method.</summary>
    public FaultBehavior Behavior
    {
        get
        {
            lock (_gate)
            {
                return _behavior;
            }
        }
        set => Apply(value);
    }

    /// <summary>Connections accepted since the start, refused ones included.</summary>
    public long Connections => Interlocked.Read(ref _accepted);

    /// <summary>Connections currently open (or waiting for a blackhole to lift).</summary>
    public int ActiveConnections => _connections.Count;

    /// <summary>Bytes written to the target, summed over all connections.</summary>
    public long BytesToTarget => Interlocked.Read(ref _bytesToTarget);

    /// <summary>Bytes written back to the clients, summed over all connections.</summary>
    public long BytesFromTarget => Interlocked.Read(ref _bytesFromTarget);

    /// <summary>Chunks held for a stall under <see cref="FaultKind.Loss"/>.</summary>
    public long Stalls => Interlocked.Read(ref _stalls);

    /// <summary>Forward unchanged; releases whatever a blackhole held.</summary>
    public void Pass() => Apply(FaultBehavior.Pass);

    /// <inheritdoc cref="FaultBehavior.Delay"/>
    public void Delay(TimeSpan latency, TimeSpan jitter = default) => Apply(FaultBehavior.Delay(latency, jitter));

    /// <inheritdoc cref="FaultBehavior.Loss"/>
    public void Loss(double probability, TimeSpan stall) => Apply(FaultBehavior.Loss(probability, stall));

    /// <summary>
    /// Forward nothing in either direction but keep connections open: reads on both sides time out. New connections
    /// are accepted (the kernel completes the handshake) but not connected upstream until the blackhole lifts.
    /// Bytes sent meanwhile are held (up to a bound, then the sender is pushed back) and delivered afterwards.
    /// </summary>
    public void Blackhole() => Apply(FaultBehavior.Blackhole);

    /// <summary>Reset (RST) every open connection and every new one until the behaviour changes.</summary>
    public void Refuse() => Apply(FaultBehavior.Refuse);

    private void Apply(FaultBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        TaskCompletionSource changed;
        lock (_gate)
        {
            _behavior = behavior;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
        if (behavior.Kind == FaultKind.Refuse)
        {
            // A connection registered after this loop started sees Refuse itself before it forwards anything.
            foreach (var connection in _connections.Keys)
            {
                connection.Abort();
            }
        }
    }

    /// <summary>Waits while the proxy is blackholed; false when it refuses (the caller must reset its connection).</summary>
    internal async Task<bool> WaitWhileBlackholedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            FaultBehavior behavior;
            Task changed;
            lock (_gate)
            {
                behavior = _behavior;
                changed = _changed.Task;
            }
            if (behavior.Kind != FaultKind.Blackhole)
            {
                return behavior.Kind != FaultKind.Refuse;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    internal void CountForwarded(bool toTarget, int bytes)
    {
        if (toTarget)
        {
            Interlocked.Add(ref _bytesToTarget, bytes);
        }
        else
        {
            Interlocked.Add(ref _bytesFromTarget, bytes);
        }
    }

    internal void CountStall() => Interlocked.Increment(ref _stalls);

    /// <summary>The generator of one direction of one connection: reproducible from the seed when there is one.</summary>
    internal Random NewRandom(long connection, int direction) =>
        _seed is { } seed ? new Random(unchecked(seed * 1_000_003 + (int)connection * 2 + direction)) : new Random(Random.Shared.Next());

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a client that gave up while still in the backlog
            }
            var number = Interlocked.Increment(ref _accepted);
            if (Target is not { } target || Behavior.Kind == FaultKind.Refuse)
            {
                ProxyConnection.Reset(client);
                continue;
            }
            var connection = new ProxyConnection(this, client, number);
            var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connections[connection] = run.Task;
            _ = Task.Run(async () =>
            {
                await connection.RunAsync(target);
                _connections.TryRemove(connection, out _);
                run.SetResult();
            });
        }
    }

    /// <summary>Stops listening and resets every open connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        var running = _connections.ToArray();
        foreach (var (connection, _) in running)
        {
            connection.Abort();
        }
        await Task.WhenAll(running.Select(c => c.Value));
        _stopping.Dispose();
    }
}
