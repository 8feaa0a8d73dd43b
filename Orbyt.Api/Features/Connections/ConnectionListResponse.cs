using Orbyt.Api.Features.Connections.Health;
using Orbyt.Core.Credentials;

namespace Orbyt.Api.Features.Connections;

/// <param name="Data">The user's connections, oldest first.</param>
/// <param name="Health">With include=health: one health answer per connection, in the order of data (null otherwise). An item the health rate limit did not let through has check_error rate_limited.</param>
public sealed record ConnectionListResponse(IReadOnlyList<ConnectionResponse> Data, IReadOnlyList<ConnectionHealthResponse>? Health = null);
