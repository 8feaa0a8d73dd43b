using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Errors;

/// <summary>One catalog entry as published by <c>GET /v1/errors</c>.</summary>
public sealed record ErrorEntry(string Code, int Status, string Title, bool Retryable, bool ReauthRequired, string UserMessage, string Description, string Category)
{
    public static ErrorEntry From(ErrorDefinition e) => new(e.Code, e.Status, e.Title, e.Retryable, e.ReauthRequired, e.UserMessage, e.Description, e.Category);
}
