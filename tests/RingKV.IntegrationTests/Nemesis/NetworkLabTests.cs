using System.Net;
using System.Net.Sockets;
using RingKV.Nemesis;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests.Nemesis;

/// <summary>
/// The lab's cuts as a process sees them, with plain TCP listeners inside the namespaces: a partition cuts exactly
/// the pairs it names, isolation cuts a namespace from everyone, healing restores all, and disposing leaves nothing.
/// </summary>
public sealed class NetworkLabTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task PartitionAndIsolate_CutExactlyTheirLinks_HealRestores_DisposeRemovesEverything()
    {
        var lab = await Labs.CreateOrSkipAsync(3, output);
        if (lab is null)
        {
            return;
        }
        string id;
        await using (lab)
        {
            id = lab.Id;
            var listeners = new List<Socket>();
            using var root = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            root.Bind(new IPEndPoint(lab.BridgeAddress, 0));
            root.Listen(64);
            try
            {
                for (var i = 1; i <= 3; i++)
                {
                    var listener = await lab.CreateSocketAsync(i);
                    listeners.Add(listener);
                    listener.Bind(new IPEndPoint(lab.Address(i), 0));
                    listener.Listen(64);
                }
                IPEndPoint At(int i) => (IPEndPoint)listeners[i - 1].LocalEndPoint!;

                Assert.True(await FromInsideAsync(lab, 1, At(2)), "1 -> 2 before any cut");
                Assert.True(await FromRootAsync(At(3)), "root -> 3 before any cut");

                await lab.PartitionAsync([1], [2, 3]);
                Assert.False(await FromInsideAsync(lab, 1, At(2)), "1 -> 2 across the partition");
                Assert.False(await FromInsideAsync(lab, 3, At(1)), "3 -> 1 across the partition");
                Assert.True(await FromInsideAsync(lab, 2, At(3)), "2 -> 3 on the same side");
                Assert.True(await FromRootAsync(At(1)), "root -> 1 (the root namespace is on both sides)");
                Assert.True(await FromInsideAsync(lab, 1, (IPEndPoint)root.LocalEndPoint!), "1 -> root (where the coordinator runs)");

                await lab.IsolateAsync(3);
                Assert.False(await FromRootAsync(At(3)), "root -> 3 while 3 is isolated");
                Assert.False(await FromInsideAsync(lab, 2, At(3)), "2 -> 3 while 3 is isolated");

                await lab.HealAsync();
                Assert.True(await FromInsideAsync(lab, 1, At(2)), "1 -> 2 after healing");
                Assert.True(await FromInsideAsync(lab, 3, At(1)), "3 -> 1 after healing");
                Assert.True(await FromRootAsync(At(3)), "root -> 3 after healing");
            }
            finally
            {
                listeners.ForEach(l => l.Dispose());
            }
        }

        var namespaces = await RunIpAsync("netns", "list");
        var links = await RunIpAsync("-o", "link", "show");
        Assert.DoesNotContain(id, namespaces, StringComparison.Ordinal);
        Assert.DoesNotContain(id, links, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleanupStale_RemovesLabsOfDeadProcesses_AndKeepsLiveOnes()
    {
        var lab = await Labs.CreateOrSkipAsync(1, output);
        if (lab is null)
        {
            return;
        }
        await using (lab)
        {
            // A crashed run's leftovers: a bridge whose owner has exited, and a namespace of the same lab.
            using var exited = System.Diagnostics.Process.Start("true")!;
            await exited.WaitForExitAsync();
            var stale = "rkv" + (Convert.ToInt32(lab.Id[3..], 16) ^ 0x8000).ToString("x4");
            await RunIpAsync("link", "add", "name", $"{stale}-br", "type", "bridge");
            await RunIpAsync("link", "set", "dev", $"{stale}-br", "alias", $"ringkv-nemesis pid={exited.Id}");
            await RunIpAsync("netns", "add", $"{stale}-n1");

            var removed = NetworkLab.CleanupStale();

            Assert.Equal(2, removed);
            var namespaces = await RunIpAsync("netns", "list");
            Assert.DoesNotContain(stale, namespaces, StringComparison.Ordinal);
            Assert.DoesNotContain(stale, await RunIpAsync("-o", "link", "show"), StringComparison.Ordinal);
            Assert.Contains(lab.NamespaceName(1), namespaces, StringComparison.Ordinal);
        }
    }

    private static async Task<bool> FromInsideAsync(NetworkLab lab, int i, IPEndPoint target)
    {
        try
        {
            using var socket = await lab.ConnectInsideAsync(i, target, ShortTimeout);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> FromRootAsync(IPEndPoint target)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(ShortTimeout);
        try
        {
            await socket.ConnectAsync(target, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<string> RunIpAsync(params string[] arguments)
    {
        var result = await TestKit.ExternalProcess.RunAsync("ip", arguments, TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 0, $"ip {string.Join(' ', arguments)}: {result}");
        return result.StandardOutput;
    }
}
