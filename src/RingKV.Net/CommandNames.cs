using RingKV.Protocol.Commands;

namespace RingKV.Net;

/// <summary>
/// The lower-case wire name of each <see cref="RespCommand"/>, as CLIENT LIST shows it in <c>cmd=</c>.
/// Built once from <see cref="CommandTable"/>, so recording a session's last command costs no allocation.
/// </summary>
public static class CommandNames
{
    private static readonly string[] s_names = Build();

    /// <summary>The wire name of <paramref name="command"/>; Redis' <c>NULL</c> for <see cref="RespCommand.Unknown"/>.</summary>
    public static string Of(RespCommand command) =>
        (uint)command < (uint)s_names.Length && s_names[(int)command] is { } name ? name : "NULL";

    private static string[] Build()
    {
        var names = new string[Enum.GetValues<RespCommand>().Max(c => (int)c) + 1];
        foreach (var name in CommandTable.Names)
        {
            var command = CommandTable.Lookup(System.Text.Encoding.ASCII.GetBytes(name));
            // Aliases (PUT for SET, DELETE for DEL) map to the same command: prefer the name that spells the enum
            // member, so SET shows as "set" whichever spelling the client sent.
            var index = (int)command;
            if (command != RespCommand.Unknown
                && (names[index] is null || name.Equals(command.ToString(), StringComparison.OrdinalIgnoreCase)))
            {
                names[index] = name.ToLowerInvariant();
            }
        }
        return names;
    }
}
