using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Connections;

/// <summary>The outcome of a callback: where to send the browser, or a problem when no trusted return URL is known.</summary>
public abstract record CallbackOutcome
{
    public sealed record Redirect(string Url) : CallbackOutcome;
    public sealed record Problem(ErrorDefinition Error, string Detail) : CallbackOutcome;
}
