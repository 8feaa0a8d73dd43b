namespace Orbyt.IntegrationTests.Webhooks;

/// <summary>One POST the receiver got, with which of the secrets it was given verified it.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string Body, IReadOnlyList<string> VerifiedWith, int AnsweredWith)
{
    public bool Verified => VerifiedWith.Count > 0;
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;
    public string Type => Json.GetProperty("type").GetString()!;
}
