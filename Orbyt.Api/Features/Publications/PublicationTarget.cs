namespace Orbyt.Api.Features.Publications;

public sealed class PublicationTarget
{
    public Guid ConnectionId { get; set; }
}
