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
        return true;
    }

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
