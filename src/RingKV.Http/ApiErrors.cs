using Microsoft.AspNetCore.Http;

namespace RingKV.Http;

/// <summary>
/// The API's error shape, <c>{"error": "...", "code": "..."}</c>, and how RESP errors map to HTTP statuses: the
/// code is the RESP error's first word (NOREPLICAS, CLUSTERDOWN, TIMEOUT…), so HTTP and RESP clients see the same
/// reason.
/// </summary>
public static class ApiErrors
{
    public sealed record ErrorDocument(string Error, string Code);

    public static IResult Result(int status, string code, string message) =>
        Results.Json(new ErrorDocument(message, code), statusCode: status);

    public static Task Write(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorDocument(message, code));
    }

    /// <summary>An error reply of a command, as HTTP: unavailability is 503, an unknown outcome 504, storage 507.</summary>
    public static IResult FromRespError(string message)
    {
        var space = message.IndexOf(' ');
        var code = space > 0 ? message[..space] : message;
        var status = code switch
        {
            "NOREPLICAS" or "CLUSTERDOWN" or "TRYAGAIN" or "LOADING" => StatusCodes.Status503ServiceUnavailable,
            "TIMEOUT" => StatusCodes.Status504GatewayTimeout,
            "IOERR" => StatusCodes.Status507InsufficientStorage,
            "ERR" or "WRONGTYPE" => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status500InternalServerError,
        };
        return Result(status, code, space > 0 ? message[(space + 1)..] : message);
    }
}
