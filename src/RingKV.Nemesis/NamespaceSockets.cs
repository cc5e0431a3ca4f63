using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RingKV.Nemesis;

/// <summary>
/// Creates sockets that live in another network namespace. A socket belongs to the namespace of the thread that
/// created it for its whole life, so a dedicated thread enters the namespace with setns(2), creates the socket and
/// ends; the socket can then be used from any thread of the test process (connect, bind and I/O all happen in its
/// own namespace). Entering a network namespace is allowed for one thread of a multithreaded process (unlike user
/// or mount namespaces), but needs CAP_SYS_ADMIN.
/// </summary>
internal static partial class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>Where <c>ip netns add</c> keeps its bind-mounted namespace handles (iproute2's NETNS_RUN_DIR).</summary>
    public const string RunDirectory = "/var/run/netns";

    /// <exception cref="Win32Exception">setns failed (not root, or no such namespace).</exception>
    public static Task<Socket> CreateAsync(string namespaceName, AddressFamily family)
    {
        var created = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                created.SetResult(CreateOnThisThread(namespaceName, family));
            }
            catch (Exception ex)
            {
                created.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "netns " + namespaceName,
        };
        thread.Start();
        return created.Task;
    }

    private static Socket CreateOnThisThread(string namespaceName, AddressFamily family)
    {
        using var home = File.OpenHandle("/proc/thread-self/ns/net");
        using var target = File.OpenHandle(Path.Combine(RunDirectory, namespaceName));
        Enter(target, namespaceName);
        try
        {
            return new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        }
        finally
        {
            // The thread ends right after this, so a failed return would harm nothing; going home is still tidier
            // should the runtime ever reuse the thread.
            _ = SetNamespace(home, CloneNewNet);
        }
    }

    private static void Enter(SafeFileHandle handle, string namespaceName)
    {
        if (SetNamespace(handle, CloneNewNet) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"setns into network namespace {namespaceName} failed");
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(SafeFileHandle fd, int nstype);
}
