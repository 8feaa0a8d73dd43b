namespace Orbyt.Sandbox.State;

/// <summary>YouTube's daily buckets, reset at midnight America/Los_Angeles on the sandbox clock.</summary>
public sealed class YouTubeQuota
{
    public DateOnly Day { get; set; }
    public int InsertsUsed { get; set; }
    public int UnitsUsed { get; set; }
    public Dictionary<string, int> ChannelUploads { get; } = [];

    public void Reset()
    {
        Day = default;
        InsertsUsed = 0;
        UnitsUsed = 0;
        ChannelUploads.Clear();
    }

    public void Roll(DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, PacificTime).DateTime);
        if (day != Day)
        {
            Reset();
            Day = day;
        }
    }

    public static readonly TimeZoneInfo PacificTime = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
}
