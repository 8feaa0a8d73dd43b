namespace Orbyt.Sandbox.State;

public enum MetaTokenType
{
    User,
    Page,
    App,

    /// <summary>An Instagram User token from Instagram Login: valid only on graph.instagram.com (reference §14).</summary>
    InstagramUser,
}
