using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>A Graph API error, written in Meta's <c>{"error": {…}}</c> envelope with a fresh fbtrace_id.</summary>
internal sealed record GraphError(
    int Code,
    string Message,
    int? Subcode = null,
    string Type = "OAuthException",
    int Status = 400,
    bool? IsTransient = null,
    string? UserTitle = null,
    string? UserMessage = null)
{
    public IResult ToResult() => Results.Json(ToBody(), SandboxJson.Verbatim, statusCode: Status);

    public object ToBody() => new
    {
        error = new
        {
            message = Message,
            type = Type,
            code = Code,
            error_subcode = Subcode,
            is_transient = IsTransient,
            error_user_title = UserTitle,
            error_user_msg = UserMessage,
            fbtrace_id = FbTraceId(),
        },
    };

    public static string FbTraceId()
    {
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
        return string.Create(11, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = chars[Random.Shared.Next(chars.Length)];
            }
        });
    }

    public static GraphError MissingToken() =>
        new(104, "An access token is required to request this resource.");

    public static GraphError BadToken() =>
        new(190, "Invalid OAuth access token - Cannot parse access token");

    /// <summary>The subcodes of Graph error 190 (invalid token) a token can be put into.</summary>
    public static readonly int[] TokenSubcodes = [458, 459, 460, 463, 464, 467, 492];

    public static GraphError TokenState(int subcode, string appId, DateTimeOffset? expiredAt, DateTimeOffset now) => subcode switch
    {
        458 => new(190, $"Error validating access token: The user has not authorized application {appId}.", 458),
        459 => new(190, "Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.", 459),
        460 => new(190, "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.", 460),
        463 => new(190, $"Error validating access token: Session has expired on {Format(expiredAt ?? now)}. The current time is {Format(now)}.", 463),
        464 => new(190, "Error validating access token: Sessions for the user are not allowed because the user is not a confirmed user.", 464),
        467 => new(190, "Error validating access token: The session is invalid because the user logged out.", 467),
        492 => new(190, "Error validating access token: The user is not an admin of the Page anymore (invalid session).", 492),
        _ => new(190, "Error validating access token.", subcode),
    };

    public static GraphError Permission(string permission, int code = 200) => code == 10
        ? new(10, $"(#10) Application does not have permission for this action ({permission})")
        : new(code, $"(#{code}) Requires {permission} permission to manage the object");

    public static GraphError UnknownObject(string id, string method = "get") => new(
        100,
        $"Unsupported {method} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        33,
        "GraphMethodException");

    public static GraphError MissingParameter(string name) => new(100, $"(#100) Missing parameter: {name}");

    public static GraphError InvalidParameter(string detail) => new(100, $"(#100) {detail}");

    public static GraphError RateLimit(int code, int? subcode = null) => code switch
    {
        4 => new(4, "(#4) Application request limit reached", subcode, IsTransient: true),
        17 => new(17, "(#17) User request limit reached", subcode, IsTransient: true),
        32 => new(32, "(#32) Page request limit reached", subcode, IsTransient: true),
        613 => new(613, "(#613) Calls to this api have exceeded the rate limit.", subcode, IsTransient: true),
        80001 => new(80001, "(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.", subcode, IsTransient: true),
        80002 => new(80002, "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.", subcode, IsTransient: true),
        _ => new(code, $"(#{code}) There have been too many calls. Wait a bit and try again.", subcode, IsTransient: true),
    };

    public static GraphError Transient(int status) =>
        new(2, "An unexpected error has occurred. Please retry your request later.", Status: status, IsTransient: true);

    /// <summary>Instagram publishing errors: code, subcode and the user-facing title/message Meta templates.</summary>
    public static GraphError Instagram(int code, int subcode, string userTitle, string userMessage, string message = "Invalid parameter") =>
        new(code, message, subcode, IsTransient: false, UserTitle: userTitle, UserMessage: userMessage);

    private static string Format(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, YouTubeQuota.PacificTime).ToString("dddd, dd-MMM-yy HH:mm:ss 'PDT'", System.Globalization.CultureInfo.InvariantCulture);
}
