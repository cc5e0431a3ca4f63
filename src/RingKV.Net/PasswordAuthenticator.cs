using System.Security.Cryptography;
using System.Text;

namespace RingKV.Net;

/// <summary>
/// Checks AUTH against the default user's password (<c>requirepass</c>) and the internal cluster user's secret.
/// Comparisons take the same time whatever the guess, so timing does not reveal how much of a password matched.
/// </summary>
public sealed class PasswordAuthenticator(string? requirePass, string? clusterSecret) : IAuthenticator
{
    // Compared as SHA-256 digests: fixed length, so the comparison's time does not depend on the length either.
    private readonly byte[]? _password = Digest(requirePass);
    private readonly byte[]? _secret = Digest(clusterSecret);

    public bool DefaultUserHasPassword => _password is not null;

    public bool UserExists(string user) => user == NoPasswordAuthenticator.DefaultUser || (user == ServerSecurity.ClusterUser && _secret is not null);

    public AuthResult Authenticate(string user, ReadOnlySpan<byte> password) => user switch
    {
        NoPasswordAuthenticator.DefaultUser => _password is null || Matches(_password, password) ? AuthResult.Ok : AuthResult.WrongPassword,
        ServerSecurity.ClusterUser => _secret is not null && Matches(_secret, password) ? AuthResult.Ok : AuthResult.WrongPassword,
        _ => AuthResult.WrongPassword,
    };

    private static bool Matches(byte[] digest, ReadOnlySpan<byte> candidate)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(candidate, hash);
        return CryptographicOperations.FixedTimeEquals(digest, hash);
    }

    private static byte[]? Digest(string? secret) => string.IsNullOrEmpty(secret) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
