namespace RingKV.Net;

/// <summary>
/// Redis' behaviour without <c>requirepass</c> or ACL users: one user, <c>default</c>, with <c>nopass</c>, so any
/// password is accepted for it and every other user name is refused with WRONGPASS.
/// </summary>
public sealed class NoPasswordAuthenticator : IAuthenticator
{
    /// <summary>The name of the only user, and of every connection's user.</summary>
    public const string DefaultUser = "default";

    /// <summary>Shared instance; stateless.</summary>
    public static NoPasswordAuthenticator Instance { get; } = new();

    public bool DefaultUserHasPassword => false;

    public bool UserExists(string user) => user == DefaultUser;

    public AuthResult Authenticate(string user, ReadOnlySpan<byte> password) =>
        user == DefaultUser ? AuthResult.Ok : AuthResult.WrongPassword;
}
