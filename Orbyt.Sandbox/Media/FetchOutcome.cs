namespace Orbyt.Sandbox.Media;

public enum FetchOutcome
{
    Ok,
    Unreachable,
    WrongFormat,
    TooLarge,
}
