using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Meta;

namespace Orbyt.Tests.Platforms;

/// <summary>The Facebook Login dialog URL (reference §1.1): scope, or a Facebook Login for Business config_id, and rerequest.</summary>
public sealed class MetaDialogUrlTests
{
    private static readonly MetaGraphClient Client = new(new HttpClient(), Options.Create(new MetaOptions { AppId = "42", DialogBaseUrl = new Uri("https://www.facebook.com/") }));

    [Fact]
    public void A_scope_flow_names_its_permissions_and_asks_for_a_code()
    {
        var query = Query(Client.BuildDialogUrl("https://api.example/cb", "st", ["pages_show_list", "business_management"]));

        Assert.Equal("pages_show_list,business_management", query["scope"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("42", query["client_id"]);
        Assert.False(query.ContainsKey("config_id"));
        Assert.False(query.ContainsKey("auth_type"));
    }

    [Fact]
    public void A_login_for_business_configuration_replaces_the_scope_and_a_declined_permission_adds_rerequest()
    {
        var query = Query(Client.BuildDialogUrl("https://api.example/cb", "st", ["pages_show_list"], configId: "123456", rerequest: true));

        Assert.Equal("123456", query["config_id"]);
        Assert.Equal("true", query["override_default_response_type"]);
        Assert.False(query.ContainsKey("scope"));
        Assert.Equal("rerequest", query["auth_type"]);
    }

    private static Dictionary<string, string> Query(Uri url) =>
        QueryHelpers.ParseQuery(url.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
}
