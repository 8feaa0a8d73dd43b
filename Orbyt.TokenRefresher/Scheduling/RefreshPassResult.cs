namespace Orbyt.TokenRefresher.Scheduling;

/// <summary>What one scheduling pass did.</summary>
public sealed record RefreshPassResult(int Claimed, int Refreshed, int Checked, int Skipped, int Failed, TimeSpan ClaimDuration, TimeSpan Duration);
