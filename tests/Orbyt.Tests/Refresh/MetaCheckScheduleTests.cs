using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.TokenRefresher.Checks;

namespace Orbyt.Tests.Refresh;

/// <summary>The spacing of Meta checks with the default settings: daily, earlier for a warning, a lapse or a re-exchange.</summary>
public sealed class MetaCheckScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TokenRefreshOptions Defaults = new();

    private static Credential Meta(string kind, DateTimeOffset? accessExpires = null, DateTimeOffset? grantExpires = null, DateTimeOffset? notified = null) => new()
    {
        UserId = "u", Kind = kind, Subject = "s", AccessTokenCiphertext = [],
        AccessTokenExpiresAt = accessExpires, GrantExpiresAt = grantExpires, ExpiringNotifiedAt = notified,
    };

    [Fact]
    public void The_lapse_is_whichever_of_token_expiry_and_data_access_window_comes_first()
    {
        Assert.Equal(Now.AddDays(50), MetaCheckSchedule.Lapse(Meta(CredentialKinds.MetaUser, Now.AddDays(50), Now.AddDays(80))));
        Assert.Equal(Now.AddDays(20), MetaCheckSchedule.Lapse(Meta(CredentialKinds.MetaUser, Now.AddDays(50), Now.AddDays(20))));
        Assert.Equal(Now.AddDays(20), MetaCheckSchedule.Lapse(Meta(CredentialKinds.MetaUser, null, Now.AddDays(20))));
        Assert.Null(MetaCheckSchedule.Lapse(Meta(CredentialKinds.MetaPage)));
    }

    [Fact]
    public void A_token_with_nothing_due_soon_is_checked_again_after_a_day()
    {
        Assert.Equal(Now.AddHours(24), MetaCheckSchedule.Next(Meta(CredentialKinds.MetaUser, Now.AddDays(59), Now.AddDays(89)), Now, Defaults));
        Assert.Equal(Now.AddHours(24), MetaCheckSchedule.Next(Meta(CredentialKinds.MetaPage), Now, Defaults));
    }

    [Fact]
    public void A_user_token_is_checked_when_its_expiring_warning_is_due()
    {
        var lapse = Now.AddDays(7).AddHours(2);
        Assert.Equal(Now.AddHours(2), MetaCheckSchedule.Next(Meta(CredentialKinds.MetaUser, lapse, Now.AddDays(80)), Now, Defaults));
    }

    [Fact]
    public void Once_warned_a_user_token_is_checked_at_its_lapse()
    {
        var lapse = Now.AddHours(3);
        Assert.Equal(lapse, MetaCheckSchedule.Next(Meta(CredentialKinds.MetaUser, lapse, Now.AddDays(80), notified: Now.AddDays(-6)), Now, Defaults));
    }

    [Fact]
    public void A_user_token_is_checked_when_it_enters_the_re_exchange_window()
    {
        var accessExpires = Now.AddDays(30).AddHours(5);
        Assert.Equal(Now.AddHours(5), MetaCheckSchedule.Next(Meta(CredentialKinds.MetaUser, accessExpires, Now.AddDays(80)), Now, Defaults));
    }

    [Fact]
    public void A_page_token_is_checked_when_the_data_access_window_closes()
    {
        Assert.Equal(Now.AddHours(3), MetaCheckSchedule.Next(Meta(CredentialKinds.MetaPage, grantExpires: Now.AddHours(3)), Now, Defaults));
    }

    [Fact]
    public void The_next_check_is_never_sooner_than_a_minute()
    {
        Assert.Equal(Now.AddMinutes(1), MetaCheckSchedule.Next(Meta(CredentialKinds.MetaPage, grantExpires: Now.AddSeconds(20)), Now, Defaults));
    }
}
