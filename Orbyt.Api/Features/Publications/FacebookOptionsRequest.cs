namespace Orbyt.Api.Features.Publications;

public sealed class FacebookOptionsRequest
{
    /// <summary>
    /// A link post: the URL Facebook shows as a preview card under the text (Meta's crawler fetches it). Only on a Facebook
    /// post without media; absolute http or https, at most 2,000 characters.
    /// </summary>
    [System.ComponentModel.DataAnnotations.MaxLength(CreatePublicationValidator.MaxLinkLength)] public string? Link { get; set; }
}
