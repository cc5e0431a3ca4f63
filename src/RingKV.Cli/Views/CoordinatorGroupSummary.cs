using System.Text.Json;
using System.Text.Json.Serialization;

namespace RingKV.Cli.Views;

/// <summary>
/// The coordinator group as one coordinator sees it: its answer to <c>COORDINATORS</c> (the server's
/// <c>CoordinatorGroupView</c>), read back with the same property names so that <c>--json</c> documents carry it
/// unchanged. A lone coordinator is a group of one in <c>standalone</c> mode that always leads, in term 0.
/// </summary>
/// <param name="Mode"><c>raft</c> or <c>standalone</c>.</param>
/// <param name="Self">The coordinator that answered.</param>
/// <param name="Leader">The leader's endpoint, or null while the group has none (an election, or a minority).</param>
public sealed record CoordinatorGroupSummary(string Mode, string Self, string? Leader, long Term,
    IReadOnlyList<CoordinatorGroupSummary.Member> Members)
{
    [JsonIgnore]
    public bool IsStandalone => Mode == "standalone";

    /// <exception cref="FormatException">The text is not such a document.</exception>
    public static CoordinatorGroupSummary FromJson(string json)
    {
        try
        {
            var summary = JsonSerializer.Deserialize<CoordinatorGroupSummary>(json, JsonSerializerOptions.Web);
            return summary is { Mode: not null, Members: not null } ? summary : throw new FormatException("COORDINATORS answered no group");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"COORDINATORS answered what is not JSON: {ex.Message}", ex);
        }
    }

    /// <summary><c>leader 127.0.0.1:5000, term 3, 3/3 reachable</c>, or <c>standalone</c>.</summary>
    public string Headline() => IsStandalone ? "standalone"
        : $"{(Leader is null ? "no leader" : $"leader {Leader}")}, term {Term}, {Members.Count(m => m.Reachable == true)}/{Members.Count} reachable";

    /// <param name="Endpoint">The coordinator's RESP <c>host:port</c>, as nodes and <c>-c</c> name it.</param>
    /// <param name="Raft">Its Raft <c>host:port</c>; null in standalone mode.</param>
    /// <param name="Reachable">
    /// Whether Raft's last exchange with it succeeded, as <see cref="Self"/> sees it; null when a follower answered
    /// about another follower (followers do not talk to each other, so it has nothing current to say).
    /// </param>
    /// <param name="Self">It is the coordinator that answered.</param>
    public sealed record Member(string Endpoint, string? Raft, bool Leader, bool? Reachable, bool Self);
}
