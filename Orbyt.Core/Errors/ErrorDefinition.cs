namespace Orbyt.Core.Errors;

/// <summary>One entry of the error catalog: the contract every API problem, job error and webhook payload uses.</summary>
/// <param name="Code">Stable snake_case code; never renamed once published.</param>
/// <param name="Status">HTTP status the API answers with for this code.</param>
/// <param name="Title">Short title for the problem document.</param>
/// <param name="Retryable">Whether repeating the same request or job later may succeed.</param>
/// <param name="ReauthRequired">Whether the end user must reconnect the account before this can succeed.</param>
/// <param name="UserMessage">A message safe to show an end user.</param>
/// <param name="Description">What a developer should know and do.</param>
/// <param name="Category">Grouping for docs: auth, validation, idempotency, connection, media, rate_limit, platform, internal.</param>
public sealed record ErrorDefinition(
    string Code,
    int Status,
    string Title,
    bool Retryable,
    bool ReauthRequired,
    string UserMessage,
    string Description,
    string Category);
