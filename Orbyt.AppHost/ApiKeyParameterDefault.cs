using System.Security.Cryptography;
using Aspire.Hosting.Publishing;

namespace Orbyt.AppHost;

/// <summary>
/// Generates a development bootstrap key in the API's documented key format, <c>orb_{key_id}_{secret}</c>: a 16-character
/// key id from an unambiguous alphabet and a base64url secret of 32 random bytes. The AppHost persists it in its user
/// secrets, so it survives restarts. The format is the API's public contract, so this copy stays here instead of a
/// shared type; the API refuses to start with a bootstrap key it cannot parse, so a drift shows at once.
/// </summary>
public sealed class ApiKeyParameterDefault : ParameterDefault
{
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
