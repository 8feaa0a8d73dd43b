namespace Orbyt.Sandbox.Control;

/// <summary>How long Meta restricts an Instagram account's activity as possible spam (4/2207051); 0 lifts it.</summary>
public sealed record InstagramRestriction(double Hours = 24);
