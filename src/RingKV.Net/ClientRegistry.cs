namespace RingKV.Net;

/// <summary>
/// The live sessions of one <see cref="RespServer"/> (CLIENT LIST, CLIENT KILL, INFO clients) and the admission
/// check against <see cref="ServerLimits.MaxClients"/>. Thread-safe; every member may be called from any connection.
/// </summary>
/// <remarks>
/// A lock guards the table: it is taken on connect, disconnect and by admin commands, never per request, so
/// contention is bounded by the connection rate. Admission reserves a slot before the session is created, so a
/// refused connection never constructs a session (whose constructor may count it in INFO stats).
/// </remarks>
public sealed class ClientRegistry
{
    private readonly Dictionary<long, RespSession> _sessions = [];
    private int _reserved;

    /// <summary>Open (admitted) connections.</summary>
    public int Count
    {
        get { lock (_sessions) { return _sessions.Count; } }
    }

    /// <summary>The open sessions, ordered by id (the order CLIENT LIST prints).</summary>
    public RespSession[] Snapshot()
    {
        RespSession[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions.Values];
        }
        Array.Sort(sessions, static (a, b) => a.Id.CompareTo(b.Id));
        return sessions;
    }

    public RespSession? Find(long id)
    {
        lock (_sessions)
        {
            return _sessions.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// Reserves a slot for a new connection; false when <paramref name="maxClients"/> are open or reserved. Lowering
    /// the limit closes nobody: new connections are refused until enough have gone, as in Redis.
    /// </summary>
    internal bool TryReserve(int maxClients)
    {
        lock (_sessions)
        {
            if (_sessions.Count + _reserved >= maxClients)
            {
                return false;
            }
            _reserved++;
            return true;
        }
    }

    /// <summary>Turns a reservation into a registered session.</summary>
    internal void Add(RespSession session)
    {
        lock (_sessions)
        {
            _reserved--;
            _sessions.Add(session.Id, session);
        }
    }

    /// <summary>Gives back a reservation whose session could not be created.</summary>
    internal void Release()
    {
        lock (_sessions)
        {
            _reserved--;
        }
    }

    /// <summary>Removes a session (closed or killed); false when it was already gone.</summary>
    internal bool Remove(RespSession session)
    {
        lock (_sessions)
        {
            return _sessions.Remove(session.Id);
        }
    }
}
