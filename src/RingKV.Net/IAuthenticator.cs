namespace RingKV.Net;

/// <summary>
/// Checks credentials for AUTH and HELLO ... AUTH. One instance per server, called concurrently from every
/// connection: implementations must be thread-safe and must not block.
/// </summary>
/// <remarks>
/// Today only <see cref="NoPasswordAuthenticator"/> exists (Redis' default user with <c>nopass</c>). A
/// <c>requirepass</c> implementation answers <see cref="DefaultUserHasPassword"/> true, checks the password in
/// <see cref="Authenticate"/>, and sessions then start unauthenticated (the NOAUTH gate belongs in
/// <see cref="ServerSession"/>'s connection-command entry point, which every command passes first).
/// </remarks>
public interface IAuthenticator
{
    /// <summary>
    /// True when the <c>default</c> user needs a password. When false, the one-argument <c>AUTH password</c> is an
    /// error (Redis: "called without any password configured") and new connections are authenticated as default.
    /// </summary>
    bool DefaultUserHasPassword { get; }

    /// <summary>Whether <paramref name="user"/> exists (CLIENT KILL USER answers "No such user" otherwise).</summary>
    bool UserExists(string user);

    /// <summary>Checks <paramref name="password"/> for <paramref name="user"/>; compares in constant time where it matters.</summary>
    AuthResult Authenticate(string user, ReadOnlySpan<byte> password);
}
