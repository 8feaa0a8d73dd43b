namespace Orbyt.Sandbox.State;

/// <summary>The kinds of scripted faults (snake_case on the wire).</summary>
public static class FaultKinds
{
    public const string Error = "error";
    public const string RateLimit = "rate_limit";
    public const string Transient = "transient";
    public const string CutConnection = "cut_connection";
    public const string ProcessingFailure = "processing_failure";

    /// <summary>The request is processed in full, then the connection is aborted before the answer is sent.</summary>
    public const string DropResponse = "drop_response";

    public static readonly string[] All = [Error, RateLimit, Transient, CutConnection, ProcessingFailure, DropResponse];
}
