using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>Who is calling the Graph API: a token and the user's grant behind it.</summary>
internal sealed record MetaCaller(MetaToken Token, MetaGrant? Grant)
{
    public bool Has(string scope) => Grant is not null && Grant.Scopes.Contains(scope);

    public string? UserId => Token.UserId;
}
