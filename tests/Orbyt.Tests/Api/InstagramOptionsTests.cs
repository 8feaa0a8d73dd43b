using System.Net;
using System.Text.Json;
using Orbyt.Api.Features.Publications;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Publishing;

namespace Orbyt.Tests.Api;

/// <summary>
/// Instagram's container options (reference §13.1 parameter matrix, §13.4 Reels options): which format takes which,
/// their own rules at create, the fields the Uploader sends for each kind of container, and Meta's answers mapped to the
/// options' codes.
/// </summary>
public sealed class InstagramOptionsTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private const string Image = "https://stream.mux.com/a/image.jpg";
    private const string Video = "https://stream.mux.com/a/highest.mp4";

    private static TargetContent Content(string format, string optionsJson, params string[] types) =>
        PlatformRules.ContentOf(new CreatePublicationRequest
        {
            UserId = "u", Caption = "Text",
            Media = types.Select(t => new PublicationMedia { Type = t, Url = t == "image" ? Image : Video }).ToList(),
            Instagram = JsonSerializer.Deserialize<InstagramOptionsRequest>(optionsJson, Json),
        }, new PublicationTarget { Format = format }, "instagram");

    [Theory]
    // §13.1: cover_url and thumb_offset are a Reel's; collaborators and location_id never on a story; user_tags not on a carousel.
    [InlineData("reels", """{"cover_url":"https://stream.mux.com/a/c.jpg","thumb_offset":0,"collaborators":["a.b"],"location_id":"110843418940484","user_tags":[{"username":"c_d"}]}""", "video", null)]
    [InlineData("feed", """{"collaborators":["a.b"],"location_id":"1","user_tags":[{"username":"c_d","x":0.5,"y":0.5}]}""", "image", null)]
    [InlineData("feed", """{"cover_url":"https://stream.mux.com/a/c.jpg"}""", "image", "instagram_option_not_supported")]
    [InlineData("feed", """{"thumb_offset":1000}""", "image", "instagram_option_not_supported")]
    [InlineData("story", """{"collaborators":["a.b"]}""", "video", "instagram_option_not_supported")]
    [InlineData("story", """{"location_id":"1"}""", "image", "instagram_option_not_supported")]
    [InlineData("story", """{"thumb_offset":0}""", "video", "instagram_option_not_supported")]
    [InlineData("story", """{"user_tags":[{"username":"c_d"}]}""", "video", null)]
    [InlineData("story", """{"share_to_feed":true}""", "image", null)]
    [InlineData("feed", """{"user_tags":[{"username":"c_d","x":0.5,"y":0.5}]}""", "image,image", "instagram_option_not_supported")]
    [InlineData("feed", """{"collaborators":["a.b"],"location_id":"1"}""", "image,video", null)]
    [InlineData("reels", """{"collaborators":["a","b","c","d"]}""", "video", "instagram_collaborators_invalid")]
    [InlineData("reels", """{"collaborators":["@alice"]}""", "video", "instagram_collaborators_invalid")]
    [InlineData("reels", """{"collaborators":["alice","ALICE"]}""", "video", "instagram_collaborators_invalid")]
    [InlineData("reels", """{"collaborators":[]}""", "video", "instagram_collaborators_invalid")]
    [InlineData("reels", """{"thumb_offset":-1}""", "video", "instagram_thumb_offset_invalid")]
    [InlineData("reels", """{"location_id":"seattle"}""", "video", "instagram_location_invalid")]
    [InlineData("feed", """{"user_tags":[{"username":"c_d"}]}""", "image", "instagram_user_tags_invalid")]
    [InlineData("reels", """{"user_tags":[{"username":"c_d","x":540,"y":0.5}]}""", "video", "instagram_user_tags_invalid")]
    [InlineData("reels", """{"user_tags":[{"username":"c_d","x":0.5}]}""", "video", "instagram_user_tags_invalid")]
    [InlineData("story", """{"user_tags":[{"username":"not valid"}]}""", "image", "instagram_user_tags_invalid")]
    public void Each_option_goes_only_on_a_format_that_takes_it_and_keeps_its_own_rules(string format, string options, string types, string? code)
    {
        Assert.Equal(code, PlatformRules.Check(Content(format, options, types.Split(',')))?.Error.Code);
    }

    [Fact]
    public void A_thumb_offset_must_fall_inside_the_probed_video()
    {
        var content = Content("reels", """{"thumb_offset":30000}""", "video");

        Assert.Null(PlatformRules.CheckInstagramThumbOffset(content, TimeSpan.FromSeconds(30.5)));
        Assert.Equal(ErrorCatalog.InstagramThumbOffsetInvalid, PlatformRules.CheckInstagramThumbOffset(content, TimeSpan.FromSeconds(30))?.Error);
        Assert.Null(PlatformRules.CheckInstagramThumbOffset(content, null));
    }

    [Fact]
    public void Each_kind_of_container_carries_the_options_meta_takes_on_it()
    {
        const string all = """{"share_to_feed":false,"cover_url":"https://stream.mux.com/a/c.jpg","thumb_offset":1500,"collaborators":["a.b","c_d"],"location_id":"110843418940484","user_tags":[{"username":"e.f"},{"username":"g","x":0.25,"y":0.75}]}""";
        var reel = Content("reels", all, "video");
        var reelFields = InstagramContainerFields.Single(reel, reel.Items[0], Video).ToDictionary(f => f.Name, f => f.Value);
        // The pushed (rupload) Reel is made from the same fields, without the URL.
        var pushed = InstagramContainerFields.Single(reel, reel.Items[0], url: null).ToDictionary(f => f.Name, f => f.Value);

        foreach (var fields in new[] { reelFields, pushed })
        {
            Assert.Equal("REELS", fields["media_type"]);
            Assert.Equal("false", fields["share_to_feed"]);
            Assert.Equal("https://stream.mux.com/a/c.jpg", fields["cover_url"]);
            Assert.Equal("1500", fields["thumb_offset"]);
            Assert.Equal("""["a.b","c_d"]""", fields["collaborators"]);
            Assert.Equal("110843418940484", fields["location_id"]);
            Assert.Equal("""[{"username":"e.f"},{"username":"g","x":0.25,"y":0.75}]""", fields["user_tags"]);
        }
        Assert.False(pushed.ContainsKey("video_url"));

        var story = Content("story", """{"user_tags":[{"username":"e.f"}],"share_to_feed":true}""", "image");
        Assert.Equal(["image_url", "media_type", "user_tags"], InstagramContainerFields.Single(story, story.Items[0], Image).Select(f => f.Name));

        var carousel = Content("feed", """{"collaborators":["a.b"],"location_id":"1"}""", "image", "video");
        Assert.Equal(["media_type", "children", "caption", "collaborators", "location_id"], InstagramContainerFields.CarouselParent(carousel, ["C1", "C2"]).Select(f => f.Name));
        // §13.1: never on a child.
        Assert.DoesNotContain(InstagramContainerFields.CarouselChild(carousel.Items[0]), f => f.Name is "collaborators" or "location_id");
    }

    [Fact]
    public void Metas_answers_about_the_options_keep_their_own_codes()
    {
        static string CodeOf(int code, int? subcode, string message) =>
            Assert.IsType<StepOutcome.Failed>(PlatformErrorClassifier.Classify(new MetaApiException(HttpStatusCode.BadRequest, code, subcode, message, "OAuthException", null, false, null))).Error.Code;

        Assert.Equal("instagram_thumb_offset_invalid", CodeOf(1, 2207057, "An unknown error has occurred."));
        Assert.Equal("instagram_user_invalid", CodeOf(110, 2207018, "Invalid user id"));
        Assert.Equal("instagram_location_invalid", CodeOf(100, null, "(#100) INSTAGRAM_PLATFORM_API__INVALID_LOCATION_ID"));
        Assert.Equal("platform_rejected", CodeOf(100, null, "(#100) Param collaborators is not allowed for carousel items."));
    }
}
