namespace Orbyt.Core.Jobs;

/// <summary>Bytes moved so far by the step that transfers media (null before any transfer).</summary>
public sealed record JobProgress(long? BytesTransferred, long? BytesTotal);
