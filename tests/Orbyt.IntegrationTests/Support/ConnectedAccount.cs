namespace Orbyt.IntegrationTests.Support;

/// <summary>A connection as tests target it: our connection id, and the platform's account id (Page, IG user or channel) the sandbox records posts under.</summary>
public sealed record ConnectedAccount(string ConnectionId, string AccountId);
