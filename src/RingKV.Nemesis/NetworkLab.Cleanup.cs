using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace RingKV.Nemesis;

// Choosing a free subnet, and removing the leftovers of labs whose test process died.
public sealed partial class NetworkLab
{
    private const string AliasPrefix = "ringkv-nemesis pid=";

    /// <summary>
    /// Removes namespaces, veths and bridges of labs whose owning process is gone (a crashed or killed test run).
    /// Labs of live processes, this one's included, are left alone: the owner's pid is the bridge's alias.
    /// </summary>
    /// <returns>How many namespaces and links were deleted; 0 where labs cannot exist (not Linux, not root).</returns>
    /// <exception cref="IpCommandException">Listing or deleting failed.</exception>
    public static int CleanupStale()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            return 0;
        }
        var namespaces = IpCommand.Run(["netns", "list"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0]);
        // "7: rkv3f2a-v1@if2: <BROADCAST,…" — the name is the second field, up to '@' for veths.
        var links = IpCommand.Run(["-o", "link", "show"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3)).Where(fields => fields.Length > 1).Select(fields => fields[1].TrimEnd(':').Split('@')[0]);
        var removed = 0;
        foreach (var lab in namespaces.Select(n => (Name: n, IsNamespace: true)).Concat(links.Select(l => (Name: l, IsNamespace: false)))
            .Select(item => (item.Name, item.IsNamespace, Match: KitName().Match(item.Name)))
            .Where(item => item.Match.Success)
            .GroupBy(item => item.Match.Groups["id"].Value))
        {
            if (OwnerIsAlive(lab.Key))
            {
                continue;
            }
            // Namespaces first (they take their veth ends along), the bridge last: the reverse of creation.
            foreach (var (name, isNamespace, _) in lab.OrderBy(item => !item.IsNamespace).ThenBy(item => item.Name.EndsWith("-br", StringComparison.Ordinal)))
            {
                if (!isNamespace && !Directory.Exists($"/sys/class/net/{name}"))
                {
                    continue; // the peer of a namespace deleted just before
                }
                IpCommand.Run(isNamespace ? ["netns", "delete", name] : ["link", "delete", "dev", name]);
                removed++;
            }
        }
        return removed;
    }

    private static string OwnerAlias(int pid) => AliasPrefix + pid.ToString(CultureInfo.InvariantCulture);

    private static bool OwnerIsAlive(string id)
    {
        var aliasFile = $"/sys/class/net/{id}-br/ifalias";
        // No bridge (or no alias yet) means a lab that crashed while being built or torn down.
        var alias = File.Exists(aliasFile) ? File.ReadAllText(aliasFile).Trim() : "";
        return alias.StartsWith(AliasPrefix, StringComparison.Ordinal)
            && int.TryParse(alias.AsSpan(AliasPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && Directory.Exists($"/proc/{pid}");
    }

    [GeneratedRegex("^(?<id>rkv[0-9a-f]{4})-(br|n[0-9]+|v[0-9]+|p[0-9]+)$")]
    private static partial Regex KitName();

    /// <summary>A random 10.x.0.0/24 that no address or route of the root namespace overlaps.</summary>
    /// <exception cref="IpCommandException">Twenty random choices were all taken.</exception>
    private static async Task<byte> ChooseSubnetAsync(CancellationToken cancellationToken)
    {
        var addresses = await IpCommand.RunAsync(["-o", "-4", "addr", "show"], cancellationToken);
        var routes = await IpCommand.RunAsync(["-4", "route", "show", "table", "all"], cancellationToken);
        // "4: eth0    inet 192.0.2.2/24 brd …" and "[local|broadcast|…] 10.1.0.0/16 dev …": the first dotted field.
        var used = addresses.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(f => f != "inet").Skip(1).FirstOrDefault())
            .Concat(routes.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(f => char.IsAsciiDigit(f[0]))))
            .Select(ParsePrefix).OfType<(uint, int)>().ToList();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            // 10.16–10.250: stays clear of the 10.0–10.15 ranges that container and cloud networks favour.
            var x = (byte)Random.Shared.Next(16, 251);
            if (!used.Any(prefix => Overlap(prefix, ((uint)(10 << 24 | x << 16), 24))))
            {
                return x;
            }
        }
        throw new IpCommandException($"no free 10.x.0.0/24 subnet found in 20 random attempts; addresses:\n{addresses}routes:\n{routes}");
    }

    private static (uint Network, int Length)? ParsePrefix(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var length = 32;
        if (slash >= 0 && !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length))
        {
            return null;
        }
        return IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address) && address.AddressFamily == AddressFamily.InterNetwork
            ? (BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()), length)
            : null;
    }

    private static bool Overlap((uint Network, int Length) a, (uint Network, int Length) b)
    {
        var length = Math.Min(a.Length, b.Length);
        var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
        return (a.Network & mask) == (b.Network & mask);
    }
}
