namespace Orbyt.Core.Data;

/// <summary>A caller of the API (the Orbyt backend, a staging copy of it, …). Every resource is scoped to one.</summary>
public sealed class ApiClient
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Admin clients may create other clients; the bootstrap client is one.</summary>
    public bool IsAdmin { get; set; }
    /// <summary>Prefixes a connection's <c>return_url</c> must start with (no open redirects).</summary>
    public List<string> AllowedReturnUrls { get; set; } = [];
    /// <summary>Requests per minute this client may make; null = the service default.</summary>
    public int? RequestsPerMinute { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<ApiKey> Keys { get; set; } = [];
}
