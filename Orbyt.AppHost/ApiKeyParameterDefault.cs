using System.Security.Cryptography;
using Aspire.Hosting.Publishing;

namespace Orbyt.AppHost;

/// <summary>
/// Generates a development bootstrap key in the API's key format (<c>orb_{key_id}_{secret}</c>, see
/// the API-key hashing in Orbyt.Api). The AppHost persists it in its user secrets, so it survives restarts.
/// </summary>
public sealed class ApiKeyParameterDefault : ParameterDefault
{
    // The format is the API's public contract; it is kept here rather than in a type shared through Orbyt.Core because
    // the AppHost needs only one string in it, and the API refuses to start with a bootstrap key it cannot parse.
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public override string GetDefaultValue()
    {
        var keyId = RandomNumberGenerator.GetString(Alphabet, 16);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"orb_{keyId}_{secret}";
    }

    public override void WriteToManifest(ManifestPublishingContext context) =>
        context.Writer.WriteString("value", "{bootstrap-api-key.inputs.value}");
}
