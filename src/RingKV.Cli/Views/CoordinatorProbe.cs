using RingKV.Client;
using RingKV.Net;

namespace RingKV.Cli.Views;

/// <summary>
/// Asks the coordinator group how it stands (<c>COORDINATORS</c>) for <c>list-nodes</c> and <c>status</c>: the
/// <c>-c</c> endpoints in order, until a coordinator answers. A node given in <c>-c</c> does not know the command,
/// but its <c>INFO cluster</c> names the coordinators it talks to, which are asked next.
/// </summary>
/// <remarks>
/// A follower's answer is replaced by the leader's when the leader answers too: only the leader exchanges with
/// every member at each heartbeat, so only its <c>reachable</c> flags are current. A follower hears from the leader
/// alone and keeps what its own last exchange with each other member said, which may be from the last election.
/// </remarks>
public static class CoordinatorProbe
{
    /// <summary>What a probe found: the group, or why no coordinator described it.</summary>
    public sealed record Result(CoordinatorGroupSummary? Group, string? Error);

    /// <param name="seeds">The verb's <c>-c</c> endpoints: coordinators and/or nodes.</param>
    /// <remarks>Never throws for an unreachable or odd endpoint: that is a finding, reported in <see cref="Result.Error"/>.</remarks>
    public static async Task<Result> RunAsync(RingKvClient client, IReadOnlyList<string> seeds)
    {
        await using var pool = HealthProbe.CreatePool(client);
        var candidates = new List<string>(seeds);
        var failures = new List<string>();
        // The list grows while it is walked: coordinators that a node names are appended once.
        for (var i = 0; i < candidates.Count; i++)
        {
            var endpoint = candidates[i];
            try
            {
                var reply = await pool.ExecuteAsync(endpoint, "COORDINATORS");
                if (!reply.IsError && reply.AsString() is { } json)
                {
                    var group = CoordinatorGroupSummary.FromJson(json);
                    return new Result(await LeadersViewAsync(pool, group) ?? group, null);
                }
                var named = CoordinatorsNamedBy((await pool.ExecuteAsync(endpoint, "INFO", "cluster")).AsString()).ToArray();
                candidates.AddRange(named.Except(candidates).ToArray());
                failures.Add(named.Length > 0 ? $"{endpoint} is a node, asked its coordinators" : $"{endpoint}: {reply.AsString()}");
            }
            catch (Exception ex) when (ex is RespConnectionException or FormatException)
            {
                failures.Add($"{endpoint}: {ex.Message}");
            }
        }
        return new Result(null, string.Join("; ", failures));
    }

    /// <summary>The leader's answer when <paramref name="group"/> is a follower's view that names one; otherwise null.</summary>
    private static async Task<CoordinatorGroupSummary?> LeadersViewAsync(RespConnectionPool pool, CoordinatorGroupSummary group)
    {
        if (group.Leader is not { } leader || leader == group.Self)
        {
            return null;
        }
        try
        {
            var reply = await pool.ExecuteAsync(leader, "COORDINATORS");
            return !reply.IsError && reply.AsString() is { } json ? CoordinatorGroupSummary.FromJson(json) : null;
        }
        catch (Exception ex) when (ex is RespConnectionException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The <c>coordinators:</c> line of a node's INFO cluster section: <c>host:port[,host:port...]</c>.</summary>
    private static IEnumerable<string> CoordinatorsNamedBy(string? info) =>
        (info ?? "").Split('\n', StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("coordinators:", StringComparison.Ordinal))
            .SelectMany(line => line["coordinators:".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
