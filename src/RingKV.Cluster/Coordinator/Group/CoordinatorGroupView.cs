using System.Text.Json;
using System.Text.Json.Nodes;

namespace RingKV.Cluster.Coordinator.Group;

/// <summary>
/// The coordinator group as this coordinator sees it (RESP <c>COORDINATORS</c>, the overview's <c>coordinators</c>):
/// who leads, in which term, and which members Raft reaches. A lone coordinator is a group of one that always leads.
/// </summary>
public static class CoordinatorGroupView
{
    public static JsonObject ToNode(CoordinatorServer server)
    {
        // The bound port, not the configured one: --port 0 takes any free port.
        var self = $"{server.Options.Bind}:{server.LocalEndPoint.Port}";
        if (server.Group is not { } group)
        {
            return new JsonObject
            {
                ["mode"] = "standalone", ["self"] = self, ["leader"] = self, ["term"] = 0,
                ["members"] = new JsonArray(new JsonObject { ["endpoint"] = self, ["raft"] = null, ["leader"] = true, ["reachable"] = true, ["self"] = true }),
            };
        }
        var members = new JsonArray();
        foreach (var (peer, isLeader, reachable) in group.Members())
        {
            members.Add(new JsonObject
            {
                ["endpoint"] = peer.Endpoint, ["raft"] = $"{peer.Host}:{peer.RaftPort}", ["leader"] = isLeader,
                ["reachable"] = reachable, ["self"] = peer == group.Self,
            });
        }
        return new JsonObject
        {
            ["mode"] = "raft", ["self"] = group.Self.Endpoint, ["leader"] = group.LeaderEndpoint, ["term"] = group.Term,
            ["members"] = members,
        };
    }

    public static string ToJson(CoordinatorServer server) => ToNode(server).ToJsonString(JsonSerializerOptions.Web);
}
