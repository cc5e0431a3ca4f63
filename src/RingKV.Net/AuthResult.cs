namespace RingKV.Net;

/// <summary>Outcome of checking a user name and password (AUTH, HELLO ... AUTH).</summary>
public enum AuthResult
{
    /// <summary>The credentials are valid; the connection now acts as that user.</summary>
    Ok = 0,

    /// <summary>Unknown user, wrong password or disabled user: Redis' <c>WRONGPASS</c>, which does not say which.</summary>
    WrongPassword = 1,
}
