namespace Orbyt.Sandbox.State;

public enum MetaTokenType
{
    User,
    Page,
    App,
}
