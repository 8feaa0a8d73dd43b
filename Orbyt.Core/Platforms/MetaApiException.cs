using System.Net;

namespace Orbyt.Core.Platforms;

/// <summary>A Graph API error: <c>{"error":{"message","type","code","error_subcode","fbtrace_id","is_transient"}}</c>.</summary>
public sealed class MetaApiException(HttpStatusCode status, int code, int? subcode, string message, string? type, string? fbtraceId, bool? isTransient, string? userMessage)
    : PlatformException("meta", status, message)
{
    public int Code { get; } = code;
    public int? Subcode { get; } = subcode;
    public string? Type { get; } = type;
    public string? FbtraceId { get; } = fbtraceId;
    public string? UserMessage { get; } = userMessage;
    public bool? MetaIsTransient { get; } = isTransient;

    /// <summary>The usage headers that came with the error, when the caller read them (a throttled call reports 100 %).</summary>
    public RateLimits.MetaUsageReport? Usage { get; set; }

    public override bool IsTransient => MetaIsTransient == true || (int)Status >= 500 || Code is 1 or 2;

    /// <summary>190/102 (any subcode): the stored token is unusable and the user must reconnect.</summary>
    public bool IsInvalidToken => Code is 190 or 102;

    /// <summary>10 and 200–299: a permission was not granted or was removed.</summary>
    public bool IsPermissionError => Code is 10 or (>= 200 and <= 299);
}
