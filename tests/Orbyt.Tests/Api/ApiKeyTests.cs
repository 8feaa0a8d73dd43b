using Orbyt.Api.Security;

namespace Orbyt.Tests.Api;

public sealed class ApiKeyTests
{
    [Fact]
    public void A_generated_key_verifies_against_its_stored_hash()
    {
        var key = ApiKeys.Generate();

        Assert.True(ApiKeys.TryParse(key.Plaintext, out var keyId, out var secret));
        Assert.Equal(key.KeyId, keyId);
        Assert.True(ApiKeys.Verify(secret, key.SecretHash));
    }

    [Fact]
    public void The_stored_hash_does_not_contain_the_secret()
    {
        var key = ApiKeys.Generate();
        ApiKeys.TryParse(key.Plaintext, out _, out var secret);

        Assert.Equal(32, key.SecretHash.Length);
        Assert.DoesNotContain(secret, Convert.ToBase64String(key.SecretHash), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, Convert.ToHexString(key.SecretHash), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_key_with_one_changed_character_does_not_verify()
    {
        var key = ApiKeys.Generate();
        ApiKeys.TryParse(key.Plaintext, out _, out var secret);
        var tampered = (secret[0] == 'A' ? 'B' : 'A') + secret[1..];

        Assert.False(ApiKeys.Verify(tampered, key.SecretHash));
    }

    [Fact]
    public void Two_generated_keys_differ_in_id_and_secret()
    {
        var a = ApiKeys.Generate();
        var b = ApiKeys.Generate();

        Assert.NotEqual(a.KeyId, b.KeyId);
        Assert.NotEqual(a.Plaintext, b.Plaintext);
        Assert.NotEqual(a.SecretHash, b.SecretHash);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-key")]
    [InlineData("orb_")]
    [InlineData("orb_short_secret")]
    [InlineData("orb_abcdefghijkmnpqr_")]
    [InlineData("sk_abcdefghijkmnpqr_secret")]
    public void Malformed_keys_are_rejected_before_any_lookup(string? presented)
    {
        Assert.False(ApiKeys.TryParse(presented, out _, out _));
    }
}
