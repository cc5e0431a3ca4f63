using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Net;

/// <summary>AUTH and HELLO, checked by the server's <see cref="IAuthenticator"/> (Redis 7.0's authCommand and helloCommand).</summary>
public abstract partial class ServerSession
{
    private IAuthenticator Authenticator => Server?.Authenticator ?? NoPasswordAuthenticator.Instance;

    private void Auth(RespRequest request)
    {
        if (request.Count < 2)
        {
            WrongArity(request);
            return;
        }
        if (request.Count > 3)
        {
            Writer.WriteError("ERR syntax error"u8);
            return;
        }
        if (request.Count == 2 && !Authenticator.DefaultUserHasPassword)
        {
            // Redis keeps the pre-ACL error for "AUTH password" when the default user has no password.
            Writer.WriteError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"u8);
            return;
        }
        var user = request.Count == 3 ? request.GetString(1) : NoPasswordAuthenticator.DefaultUser;
        if (TryAuthenticate(user, request[request.Count - 1]))
        {
            Writer.WriteOk();
        }
    }

    /// <summary>Switches the connection to <paramref name="user"/>, or writes WRONGPASS and returns false.</summary>
    private bool TryAuthenticate(string user, ReadOnlySpan<byte> password)
    {
        if (Authenticator.Authenticate(user, password) != AuthResult.Ok)
        {
            Writer.WriteError("WRONGPASS invalid username-password pair or user is disabled."u8);
            return false;
        }
        User = user;
        Authenticated = true;
        return true;
    }

    // Redis' protected-mode refusal, with RingKV's ways out.
    private static readonly byte[] s_denied = System.Text.Encoding.UTF8.GetBytes("DENIED RingKV is running in protected mode because protected mode is enabled and no password is set for the default user. "
        + "In this mode connections are only accepted from the loopback interface. If you want to connect from external computers, either "
        + "1) set a password with --requirepass (clients then AUTH), or 2) set --cluster-secret on every process (nodes authenticate to each other with it), or "
        + "3) disable protected mode with --protected-mode no, only if the network is trusted. Restart the process after changing its options.");

    /// <summary>
    /// Whether this connection may run <paramref name="command"/>: authentication first (NOAUTH), protected mode
    /// (DENIED, then close), internal commands for the cluster user only (NOPERM). Writes the refusal and returns
    /// false otherwise. See <see cref="ServerSecurity"/>.
    /// </summary>
    private bool Admit(RespCommand command)
    {
        if (Server is not { } server)
        {
            return true; // a session driven directly (unit tests) has no server to protect
        }
        var security = server.Security;
        if (command is RespCommand.Auth or RespCommand.Quit || (command is RespCommand.Hello && !Authenticated))
        {
            return true; // HELLO without AUTH while unauthenticated is answered NOAUTH by Hello itself
        }
        if (!Authenticated)
        {
            Writer.WriteError("NOAUTH Authentication required."u8);
            return false;
        }
        if (security.ProtectedMode && !security.Authenticator.DefaultUserHasPassword && User != ServerSecurity.ClusterUser && !IsLoopback(RemoteEndPoint))
        {
            Writer.WriteError(s_denied);
            CloseRequested = true;
            return false;
        }
        if (CommandTable.IsInternal(command) && !security.MayRunInternal(User))
        {
            Writer.WriteError($"NOPERM User {User} has no permissions to run the '{CommandNames.Of(command)}' command");
            return false;
        }
        return true;
    }

    private static bool IsLoopback(System.Net.EndPoint? endPoint) => endPoint is System.Net.IPEndPoint ip && System.Net.IPAddress.IsLoopback(ip.Address);

    // HELLO [protover [AUTH username password] [SETNAME clientname]]: authenticates first, then names the
    // connection, then switches protocol, and replies in the new protocol; any error leaves the protocol unchanged.
    private void Hello(RespRequest request)
    {
        var version = (long)Writer.ProtocolVersion;
        if (request.Count > 1)
        {
            if (!RedisInteger.TryParse(request[1], out version))
            {
                Writer.WriteError("ERR Protocol version is not an integer or out of range"u8);
                return;
            }
            if (version is not (2 or 3))
            {
                Writer.WriteError("NOPROTO unsupported protocol version"u8);
                return;
            }
        }
        int? auth = null, setName = null;
        for (var i = 2; i < request.Count; i++)
        {
            var more = request.Count - 1 - i;
            if (CommandTable.EqualsIgnoreCase(request[i], "AUTH") && more >= 2)
            {
                auth = i + 1;
                i += 2;
            }
            else if (CommandTable.EqualsIgnoreCase(request[i], "SETNAME") && more >= 1)
            {
                setName = ++i;
            }
            else
            {
                Writer.WriteError($"ERR Syntax error in HELLO option '{request.GetString(i)}'");
                return;
            }
        }
        if (auth is null && !Authenticated)
        {
            Writer.WriteError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"u8);
            return;
        }
        if (auth is { } a && !TryAuthenticate(request.GetString(a), request[a + 1]))
        {
            return;
        }
        if (setName is { } n && !TrySetName(request[n]))
        {
            return;
        }
        Writer.ProtocolVersion = (int)version;
        Writer.WriteMapHeader(7);
        Writer.WriteBulkString("server"u8); Writer.WriteBulkString(RoleName);
        Writer.WriteBulkString("version"u8); Writer.WriteBulkString(ServerInfo.Version);
        Writer.WriteBulkString("proto"u8); Writer.WriteInteger(version);
        Writer.WriteBulkString("id"u8); Writer.WriteInteger(Id);
        // "standalone" even on nodes: a client that decides by HELLO alone then works through any node (which
        // proxies); cluster-aware clients still find the topology through CLUSTER SLOTS/NODES.
        Writer.WriteBulkString("mode"u8); Writer.WriteBulkString("standalone"u8);
        Writer.WriteBulkString("role"u8); Writer.WriteBulkString("master"u8);
        Writer.WriteBulkString("modules"u8); Writer.WriteArrayHeader(0);
    }
}
