namespace Orbyt.Sandbox.State;

public sealed class MetaUser
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string IdentityId { get; init; }
    /// <summary>Pages on which the person holds a Page role of their own: what <c>/me/accounts</c> lists.</summary>
    public List<string> PageIds { get; } = [];

    /// <summary>The Business Portfolios the person is in (<c>/me/businesses</c>).</summary>
    public List<string> BusinessIds { get; } = [];

    /// <summary>
    /// Pages the person may act on only through a portfolio assignment (absent from <c>/me/accounts</c>, reference §11.1).
    /// Pages of their portfolios that are not here are listed by the business edges without a Page token.
    /// </summary>
    public List<string> PortfolioTaskPageIds { get; } = [];
}
