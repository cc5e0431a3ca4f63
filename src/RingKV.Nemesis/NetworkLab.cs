using System.Net;
using System.Net.Sockets;

namespace RingKV.Nemesis;

/// <summary>
/// A private network of Linux network namespaces on one bridge, for partition tests with real processes: every
/// namespace has its own address, its own loopback and its own routing table, so a cut is a real cut, for
/// connections in both directions, with no cooperation from the processes under test.
/// </summary>
/// <remarks>
/// <para>Layout: a bridge <c>{Id}-br</c> in the root namespace with <see cref="BridgeAddress"/> 10.x.0.1/24, and
/// namespaces <c>{Id}-n1</c> … <c>{Id}-nN</c>, namespace i holding 10.x.0.(10+i)/24 on a veth whose other end
/// (<c>{Id}-vi</c>) is a bridge port. The root namespace, where the test and the coordinator run, reaches every
/// namespace through the bridge.</para>
/// <para>How a partition test uses it:</para>
/// <code>
/// await using var lab = await NetworkLab.CreateAsync(3);             // NetworkLabUnavailableException: skip
/// // coordinator in the root namespace on lab.BridgeAddress; node i started with
/// // argv = [.. lab.LauncherPrefix(i), "ringkv", "node", "--bind", lab.Address(i).ToString(), ...]
/// await lab.IsolateAsync(3);                                          // node 3 loses everyone, coordinator included
/// await lab.HealAsync();
/// await lab.PartitionAsync([1], [2, 3]);                              // 1 and {2,3} lose each other, all keep the coordinator
/// await lab.HealAsync();
/// </code>
/// <para>Indices are 1-based, like node names (node-1 in namespace 1). Needs root (CAP_NET_ADMIN and
/// CAP_SYS_ADMIN) and iproute2's <c>ip</c> with netns support; nothing else (no iptables, nft or tc).</para>
/// <para>Thread-safety: the fault methods serialize among themselves and may be called from several tasks; the
/// accessors are pure. Every <c>ip</c> call has a deadline and fails with an <see cref="IpCommandException"/>
/// quoting the command and its stderr.</para>
/// </remarks>
public sealed partial class NetworkLab : IAsyncDisposable
{
    /// <summary>Every name the kit creates starts with this and four hex digits (<see cref="Id"/>).</summary>
    public const string NamePrefix = "rkv";

    private const int FirstHost = 10;
    private const int MaxNamespaces = 200;

    private readonly byte _subnet;
    private int _disposed;

    private NetworkLab(string id, byte subnet, int count)
    {
        Id = id;
        _subnet = subnet;
        Count = count;
    }

    /// <summary>The prefix of this lab's names, e.g. <c>rkv3f2a</c>.</summary>
    public string Id { get; }

    /// <summary>How many namespaces, numbered 1 to Count.</summary>
    public int Count { get; }

    /// <summary>The bridge's address in the root namespace (10.x.0.1): where namespaces reach the test and the coordinator.</summary>
    public IPAddress BridgeAddress => new([10, _subnet, 0, 1]);

    private string BridgeName => $"{Id}-br";

    /// <summary>Builds the bridge and <paramref name="namespaces"/> namespaces and checks the root namespace reaches each.</summary>
    /// <remarks>Removes stale labs of crashed runs first (<see cref="CleanupStale"/>).</remarks>
    /// <exception cref="NetworkLabUnavailableException">Not Linux, not root, or namespaces are not permitted here.</exception>
    /// <exception cref="IpCommandException">Building failed; whatever was built has been removed again.</exception>
    public static async Task<NetworkLab> CreateAsync(int namespaces, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(namespaces, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(namespaces, MaxNamespaces);
        await EnsureAvailableAsync(cancellationToken);
        CleanupStale();
        var subnet = await ChooseSubnetAsync(cancellationToken);
        var lab = new NetworkLab(NamePrefix + Random.Shared.Next(0x10000).ToString("x4"), subnet, namespaces);
        try
        {
            await lab.BuildAsync(cancellationToken);
            await lab.VerifyAsync(cancellationToken);
        }
        catch (IpCommandException ex) when (ex.StandardError.Contains("Operation not permitted", StringComparison.Ordinal))
        {
            await lab.DisposeAsync();
            throw new NetworkLabUnavailableException(ex.Message, ex);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
        return lab;
    }

    /// <summary>Namespace i's name, for <c>ip netns exec</c> or <c>ip -n</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is not in 1..<see cref="Count"/>.</exception>
    public string NamespaceName(int i) => $"{Id}-n{Check(i)}";

    /// <summary>Namespace i's address (10.x.0.(10+i)); bind a process started in it here.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is not in 1..<see cref="Count"/>.</exception>
    public IPAddress Address(int i) => new([10, _subnet, 0, (byte)(FirstHost + Check(i))]);

    /// <summary>The argv prefix that runs a program inside namespace i: <c>ip netns exec {name}</c>.</summary>
    /// <remarks>
    /// <c>ip netns exec</c> execs the program in place, so the process id is the program's own: signals, kills and
    /// <c>--parent-pid</c> work as without the prefix.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is not in 1..<see cref="Count"/>.</exception>
    public IReadOnlyList<string> LauncherPrefix(int i) => ["ip", "netns", "exec", NamespaceName(i)];

    /// <summary>
    /// A TCP socket that lives in namespace i: bind, listen and connect on it as usual, from any thread; it sees that
    /// namespace's addresses and routes (and its cuts), not the test's.
    /// </summary>
    /// <exception cref="System.ComponentModel.Win32Exception">Entering the namespace failed.</exception>
    public Task<Socket> CreateSocketAsync(int i, AddressFamily family = AddressFamily.InterNetwork) =>
        NamespaceSockets.CreateAsync(NamespaceName(i), family);

    /// <summary>
    /// A TCP connection that starts inside namespace i, e.g. to reach a node from its own side while it is isolated
    /// (connect to its own address). The socket may then be used from any thread.
    /// </summary>
    /// <exception cref="SocketException">The connection failed.</exception>
    /// <exception cref="OperationCanceledException">It did not connect within <paramref name="timeout"/> (default 5 s).</exception>
    public async Task<Socket> ConnectInsideAsync(int i, IPEndPoint target, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var socket = await CreateSocketAsync(i, target.AddressFamily);
        try
        {
            socket.NoDelay = true;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(target, deadline.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private int Check(int i)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(i, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(i, Count);
        return i;
    }

    private static async Task EnsureAvailableAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new NetworkLabUnavailableException("network namespaces are a Linux feature");
        }
        if (!Environment.IsPrivilegedProcess)
        {
            throw new NetworkLabUnavailableException("this process is not root");
        }
        try
        {
            await IpCommand.RunAsync(["netns", "list"], cancellationToken);
        }
        catch (IpCommandException ex)
        {
            throw new NetworkLabUnavailableException(ex.Message, ex);
        }
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        // The bridge comes first and carries the owner's pid: CleanupStale treats a lab whose owner is alive as in use.
        await IpCommand.RunAsync(["link", "add", "name", BridgeName, "type", "bridge"], cancellationToken);
        await IpCommand.RunAsync(["link", "set", "dev", BridgeName, "alias", OwnerAlias(Environment.ProcessId)], cancellationToken);
        await IpCommand.RunAsync(["addr", "add", $"{BridgeAddress}/24", "dev", BridgeName], cancellationToken);
        await IpCommand.RunAsync(["link", "set", "dev", BridgeName, "up"], cancellationToken);
        for (var i = 1; i <= Count; i++)
        {
            var ns = NamespaceName(i);
            var inside = $"{Id}-p{i}";
            await IpCommand.RunAsync(["netns", "add", ns], cancellationToken);
            await IpCommand.RunAsync(["link", "add", "name", VethName(i), "type", "veth", "peer", "name", inside, "netns", ns], cancellationToken);
            await IpCommand.RunAsync(["link", "set", "dev", VethName(i), "master", BridgeName], cancellationToken);
            await IpCommand.RunAsync(["link", "set", "dev", VethName(i), "up"], cancellationToken);
            await IpCommand.RunAsync(["-n", ns, "addr", "add", $"{Address(i)}/24", "dev", inside], cancellationToken);
            await IpCommand.RunAsync(["-n", ns, "link", "set", "dev", inside, "up"], cancellationToken);
            await IpCommand.RunAsync(["-n", ns, "link", "set", "dev", "lo", "up"], cancellationToken);
        }
    }

    private string VethName(int i) => $"{Id}-v{i}";

    /// <summary>
    /// A TCP round trip from the root namespace to a listener in every namespace: proves the bridge forwards and
    /// that sockets can be made inside namespaces, before a test depends on either.
    /// </summary>
    private async Task VerifyAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        for (var i = 1; i <= Count; i++)
        {
            using var listener = await CreateSocketAsync(i);
            listener.Bind(new IPEndPoint(Address(i), 0));
            listener.Listen(1);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await client.ConnectAsync(listener.LocalEndPoint!, deadline.Token);
                using var accepted = await listener.AcceptAsync(deadline.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IpCommandException($"the root namespace cannot reach {Address(i)} in {NamespaceName(i)} through {BridgeName}", ex);
            }
        }
    }

    /// <summary>Deletes the namespaces (and with them their veths), the bridge-side veths and the bridge. Never throws.</summary>
    /// <remarks>
    /// Best effort by design: a test's own failure must not be masked by a cleanup error. What a failed deletion
    /// leaves behind is removed by the next <see cref="CreateAsync"/> (see <see cref="CleanupStale"/>). Stop the
    /// processes inside the namespaces first: a namespace lives on, unnamed, as long as a process runs in it.
    /// Not to be called while a fault method is still running.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        for (var i = 1; i <= Count; i++)
        {
            await TryAsync(["netns", "delete", NamespaceName(i)]);
        }
        // Deleting a namespace destroys its veth end and so the pair; these only matter after a half-built lab.
        for (var i = 1; i <= Count; i++)
        {
            if (Directory.Exists($"/sys/class/net/{VethName(i)}"))
            {
                await TryAsync(["link", "delete", "dev", VethName(i)]);
            }
        }
        await TryAsync(["link", "delete", "dev", BridgeName]);
        _faults.Dispose();
    }

    private static async Task TryAsync(IReadOnlyList<string> arguments)
    {
        try
        {
            await IpCommand.RunAsync(arguments);
        }
        catch (IpCommandException)
        {
            // Already gone, or left for CleanupStale (see DisposeAsync).
        }
    }
}
