namespace Orbyt.Uploader.Publishing;

/// <summary>How one platform publishes: each run takes one step of a job and says what it decided.</summary>
public interface IPublishRecipe
{
    string Platform { get; }

    Task<StepOutcome> RunAsync(JobContext context, CancellationToken ct);
}
