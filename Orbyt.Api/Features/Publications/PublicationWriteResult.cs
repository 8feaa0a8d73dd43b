namespace Orbyt.Api.Features.Publications;

public enum PublicationWriteResult
{
    /// <summary>The publication, its jobs and the idempotency record (with the response) are committed.</summary>
    Written,
    /// <summary>Nothing written: a target is not an active connection of this user (any more).</summary>
    ConnectionsNotActive,
    /// <summary>Nothing written: another request with the same Idempotency-Key is being written right now.</summary>
    KeyInUse,
    /// <summary>Nothing written: the Idempotency-Key has a live record already (replay it, or refuse a different body).</summary>
    KeyExists,
}
