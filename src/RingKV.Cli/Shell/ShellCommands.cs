using System.Text;

namespace RingKV.Cli.Shell;

/// <summary>
/// The commands the interactive shell documents: HELP prints this table and Tab completes its names, so the two
/// cannot drift apart. The shell passes any other command on to the cluster as well; these are the ones it teaches.
/// </summary>
public static class ShellCommands
{
    private static readonly Entry[] s_entries =
    [
        new(["PUT", "SET"], "PUT key value | SET key value [EX s] [NX|XX]", "store a value (replicated to N nodes)"),
        new(["GET", "DELETE", "DEL", "EXISTS"], "GET key | DELETE key | DEL key | EXISTS key", "read / delete"),
        new(["MGET", "MSET"], "MGET k1 k2 ... | MSET k1 v1 k2 v2 ...", "several keys at once"),
        new(["LIST_NODES"], "LIST_NODES", "nodes, state and slot ownership"),
        new(["GET_NODES_FOR_KEY"], "GET_NODES_FOR_KEY key", "primary and replicas of a key"),
        new(["CLUSTER_MAP", "INFO", "PING"], "CLUSTER_MAP | INFO [section] | PING", "the map as JSON, server information, liveness"),
        new(["CONSISTENCY"], "CONSISTENCY [READ|WRITE] ONE|QUORUM|ALL", "(per connection; use --consistency for the shell)"),
        new(["HISTORY", "HELP", "QUIT", "EXIT"], "HISTORY | HELP | QUIT", "up/down arrows recall history, Tab completes a command"),
    ];

    /// <summary>Every command name the table mentions, upper case, in table order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_entries.SelectMany(e => e.Names)];

    public static string Help
    {
        get
        {
            var width = s_entries.Max(e => e.Usage.Length) + 3;
            var text = new StringBuilder();
            foreach (var entry in s_entries)
            {
                text.Append(entry.Usage.PadRight(width)).AppendLine(entry.Description);
            }
            return text.ToString();
        }
    }

    private sealed record Entry(string[] Names, string Usage, string Description);
}
