using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using RingKV.Net;

namespace RingKV.Http;

/// <summary>
/// HTTP's side of <c>--requirepass</c>: with a password set, every route but <c>/health</c> and <c>/ready</c> needs
/// <c>Authorization: Bearer PASSWORD</c> or HTTP Basic (user <c>default</c> or empty, the password), checked by the
/// same authenticator as RESP's AUTH. Basic lets a browser open the dashboard (it asks once, then sends it with the
/// dashboard's own requests); Bearer suits scripts and Prometheus.
/// </summary>
public static class HttpAuthentication
{
    public static async Task CheckAsync(HttpContext context, RequestDelegate next, ServerSecurity security)
    {
        if (!security.Authenticator.DefaultUserHasPassword || context.Request.Path == "/health" || context.Request.Path == "/ready"
            || Authenticated(context.Request.Headers.Authorization.ToString(), security.Authenticator))
        {
            await next(context);
            return;
        }
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"RingKV\", charset=\"UTF-8\"";
        await ApiErrors.Write(context, StatusCodes.Status401Unauthorized, "NOAUTH", "authentication required: Authorization: Bearer <password> or Basic");
    }

    private static bool Authenticated(string header, IAuthenticator authenticator)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || value.Parameter is not { } parameter)
        {
            return false;
        }
        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return authenticator.Authenticate(NoPasswordAuthenticator.DefaultUser, Encoding.UTF8.GetBytes(parameter)) == AuthResult.Ok;
        }
        if (!value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        var user = colon < 0 ? "" : decoded[..colon];
        return colon >= 0 && user is "" or NoPasswordAuthenticator.DefaultUser
            && authenticator.Authenticate(NoPasswordAuthenticator.DefaultUser, Encoding.UTF8.GetBytes(decoded[(colon + 1)..])) == AuthResult.Ok;
    }
}
