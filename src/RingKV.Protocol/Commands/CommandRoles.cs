namespace RingKV.Protocol.Commands;

/// <summary>
/// Which server roles serve a catalog entry; a session advertises (COMMAND, COMMAND DOCS) only its own role's entries.
/// Never reaches the wire or the disk.
/// </summary>
[Flags]
public enum CommandRoles
{
    /// <summary>Served by no role (not a valid catalog entry).</summary>
    None = 0,

    /// <summary>Data nodes: the Redis-compatible key-value commands.</summary>
    Node = 1,

    /// <summary>The coordinator: membership and cluster views.</summary>
    Coordinator = 2,

    /// <summary>Connection and server commands that every role answers the same way.</summary>
    Both = Node | Coordinator,
}
