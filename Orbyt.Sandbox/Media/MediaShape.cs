namespace Orbyt.Sandbox.Media;

/// <summary>What the sandbox's Meta saw in a file it received: display size and, for a video, its duration.</summary>
public sealed record MediaShape(int? Width, int? Height, double? DurationSeconds)
{
    public double? AspectRatio => Width is > 0 && Height is > 0 ? (double)Width / Height.Value : null;
}
