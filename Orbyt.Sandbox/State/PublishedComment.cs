namespace Orbyt.Sandbox.State;

/// <summary>A comment the account made on one of its own published posts (a first comment): who, what, when.</summary>
public sealed record PublishedComment(string Id, string Message, string AuthorId, DateTimeOffset CreatedAt);
