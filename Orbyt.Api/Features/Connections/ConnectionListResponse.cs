using Orbyt.Core.Credentials;

namespace Orbyt.Api.Features.Connections;

public sealed record ConnectionListResponse(IReadOnlyList<ConnectionResponse> Data);
