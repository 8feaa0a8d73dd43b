using System.Text.RegularExpressions;
using Orbyt.Core.Errors;

namespace Orbyt.Tests.Errors;

public sealed partial class ErrorCatalogTests
{
    [Fact]
    public void Every_code_is_unique()
    {
        var duplicates = ErrorCatalog.All.GroupBy(e => e.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_code_is_snake_case()
    {
        Assert.All(ErrorCatalog.All, e => Assert.Matches(SnakeCase(), e.Code));
    }

    [Fact]
    public void Every_entry_has_an_error_status_and_texts()
    {
        Assert.All(ErrorCatalog.All, e =>
        {
            Assert.InRange(e.Status, 400, 599);
            Assert.False(string.IsNullOrWhiteSpace(e.Title), e.Code);
            Assert.False(string.IsNullOrWhiteSpace(e.UserMessage), e.Code);
            Assert.False(string.IsNullOrWhiteSpace(e.Description), e.Code);
            Assert.False(string.IsNullOrWhiteSpace(e.Category), e.Code);
        });
    }

    [Theory]
    [InlineData("api_key_missing", 401, false, false)]
    [InlineData("validation_failed", 400, false, false)]
    [InlineData("idempotency_key_reused", 422, false, false)]
    [InlineData("idempotency_key_in_use", 409, true, false)]
    [InlineData("reauth_required", 409, false, true)]
    [InlineData("insufficient_permissions", 403, false, true)]
    [InlineData("platform_rate_limited", 429, true, false)]
    [InlineData("platform_error_unknown", 502, true, false)]
    [InlineData("internal_error", 500, true, false)]
    public void Key_entries_carry_their_documented_status_and_flags(string code, int status, bool retryable, bool reauthRequired)
    {
        var entry = ErrorCatalog.Get(code);
        Assert.Equal(status, entry.Status);
        Assert.Equal(retryable, entry.Retryable);
        Assert.Equal(reauthRequired, entry.ReauthRequired);
    }

    [Theory]
    [InlineData("media_fetch_failed")]
    [InlineData("media_unsupported_format")]
    [InlineData("media_too_large")]
    [InlineData("media_not_ready")]
    [InlineData("connection_revoked")]
    [InlineData("instagram_publishing_limit_reached")]
    [InlineData("youtube_quota_exceeded")]
    [InlineData("youtube_upload_limit_exceeded")]
    public void The_catalog_covers_the_codes_the_contract_names(string code)
    {
        Assert.True(ErrorCatalog.TryGet(code, out _));
    }

    [Fact]
    public void An_unknown_code_is_not_silently_mapped()
    {
        Assert.False(ErrorCatalog.TryGet("no_such_code", out _));
        Assert.Throws<KeyNotFoundException>(() => ErrorCatalog.Get("no_such_code"));
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
