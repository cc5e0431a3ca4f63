using System.Text.Json;
using RingKV.IntegrationTests.Http;
using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests;

/// <summary>
/// The coordinator group as an operator sees it, on a group of 3: each coordinator's <c>/v1/coordinators</c> and the
/// dashboard's overview, and <c>ringkv list-nodes</c> given the whole group, in its JSON and table forms and with
/// every coordinator gone.
/// </summary>
/// <remarks>
/// Reachability is asserted where it is current: in the leader's view, which is also the overview's (followers relay
/// the leader's overview). A follower hears from the leader alone, so its own flags date from its last exchanges
/// (the last election): of a follower's own view only the leader and the term are asserted.
/// </remarks>
public sealed class CoordinatorGroupViewTests
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AgreementTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ThreeCoordinators_HttpViewsAndListNodes_ShowOneLeaderAndTermWithEveryMemberReachable()
    {
        await using var cluster = await ClusterFixture.StartAsync(coordinators: 3);
        await cluster.VerifyAsync(async () =>
        {
            var coordinators = cluster.Cluster.Coordinators;
            var endpoints = coordinators.Select(c => c.Endpoint).Order(StringComparer.Ordinal).ToArray();
            var apis = coordinators.Select(c => new HttpApi(c)).ToArray();
            try
            {
                var last = "nothing yet";
                string? leader = null;
                long term = 0;
                await Eventually.TrueAsync(async () =>
                    {
                        var own = new JsonElement[apis.Length];
                        var overviews = new JsonElement[apis.Length];
                        for (var i = 0; i < apis.Length; i++)
                        {
                            own[i] = await apis[i].JsonAsync("v1/coordinators");
                            overviews[i] = (await apis[i].JsonAsync("v1/overview")).GetProperty("coordinators");
                        }
                        last = string.Join('\n', own.Concat(overviews).Select(v => v.GetRawText()));
                        var views = own.Concat(overviews).ToArray();
                        Assert.All(views, view => AssertGroupOf(endpoints, view));
                        Assert.All(own.Zip(coordinators), pair => Assert.Equal(pair.Second.Endpoint, pair.First.GetProperty("self").GetString()));
                        // The condition: one leader and one term everywhere (an election may still be settling).
                        var agreed = views.Select(v => (Leader: v.GetProperty("leader").GetString(), Term: v.GetProperty("term").GetInt64())).Distinct().ToList();
                        if (agreed is not [{ Leader: { } single } only])
                        {
                            return false;
                        }
                        (leader, term) = (single, only.Term);
                        var leadersOwn = own.Single(v => v.GetProperty("self").GetString() == single);
                        // A follower vouches for itself and the leader it hears, and says nothing of the other follower.
                        Assert.All(own.Where(v => v.GetProperty("self").GetString() != single), view => Assert.All(view.GetProperty("members").EnumerateArray(),
                            m => Assert.Equal(m.GetProperty("self").GetBoolean() || m.GetProperty("leader").GetBoolean() ? JsonValueKind.True : JsonValueKind.Null,
                                m.GetProperty("reachable").ValueKind)));
                        return overviews.Append(leadersOwn).All(EveryMemberReachable);
                    },
                    AgreementTimeout, "every coordinator names one leader in one term, and the leader reaches every member", () => last);

                // The leader and term seen over HTTP, unless an election on this busy machine moved them on since.
                await Eventually.TrueAsync(async () =>
                    {
                        var (result, json) = await ListNodesJsonAsync(string.Join(',', endpoints));
                        last = result.ToString();
                        Assert.Equal(3, json.GetProperty("nodes").GetArrayLength());
                        var group = json.GetProperty("coordinators");
                        AssertGroupOf(endpoints, group);
                        Assert.True(group.GetProperty("term").GetInt64() >= term, $"list-nodes shows a term before {term}");
                        return group.GetProperty("leader").GetString() is { } named && (named == leader || group.GetProperty("term").GetInt64() > term)
                            && EveryMemberReachable(group);
                    },
                    AgreementTimeout, $"list-nodes --json shows one leader ({leader} in term {term}) and every coordinator reachable", () => last);

                var table = await RingKvCli.RunAsync(CliTimeout, "list-nodes", "-c", string.Join(',', endpoints));
                Assert.True(table.ExitCode == 0, table.ToString());
                var rows = table.StandardOutput.Split('\n').Where(line => endpoints.Any(e => line.StartsWith($"│ {e} ", StringComparison.Ordinal))).ToList();
                Assert.True(rows.Count == 3 && rows.Count(row => row.Contains(" leader ", StringComparison.Ordinal)) == 1
                    && table.StandardOutput.Contains("coordinator group (raft)", StringComparison.Ordinal),
                    $"list-nodes should print the group's table, a row per coordinator, one of them the leader: {table}");

                // With every coordinator gone the map still comes from a node: the node table, and the group unknown.
                foreach (var coordinator in coordinators)
                {
                    coordinator.Kill();
                }
                var (orphaned, orphanedJson) = await ListNodesJsonAsync(string.Join(',', [.. endpoints, cluster.NodeEndpoint(0)]));
                Assert.Equal(3, orphanedJson.GetProperty("nodes").GetArrayLength());
                Assert.True(orphanedJson.GetProperty("coordinators").ValueKind == JsonValueKind.Null
                    && orphaned.StandardError.Contains("coordinators unreachable", StringComparison.Ordinal),
                    $"list-nodes without coordinators should list the nodes and say the coordinators are unreachable: {orphaned}");
            }
            finally
            {
                Array.ForEach(apis, api => api.Dispose());
            }
        });
    }

    /// <summary>The document's shape: a Raft group of exactly these coordinators, with at most one marked leader, the one it names.</summary>
    private static void AssertGroupOf(string[] endpoints, JsonElement view)
    {
        Assert.Equal("raft", view.GetProperty("mode").GetString());
        var members = view.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(endpoints, members.Select(m => m.GetProperty("endpoint").GetString()).Order(StringComparer.Ordinal));
        var marked = members.Where(m => m.GetProperty("leader").GetBoolean()).Select(m => m.GetProperty("endpoint").GetString()).ToList();
        Assert.True(marked.Count <= 1, $"more than one leader in {view}");
        Assert.Equal(view.GetProperty("leader").GetString(), marked.SingleOrDefault());
    }

    private static bool EveryMemberReachable(JsonElement view) =>
        view.GetProperty("members").EnumerateArray().All(m => m.GetProperty("reachable").GetBoolean());

    private static async Task<(ProcessResult Result, JsonElement Json)> ListNodesJsonAsync(string seeds)
    {
        var result = await RingKvCli.RunAsync(CliTimeout, "list-nodes", "--json", "-c", seeds);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.StandardOutput);
        return (result, document.RootElement.Clone());
    }
}
