using System.Text.Json;
using Orbyt.Api.Features.Publications;
using Orbyt.Core.Data;
using Orbyt.Core.Jobs;

namespace Orbyt.Tests.Api;

/// <summary>The create call's media forms and the per-target rules (one rule set: <see cref="PlatformRules"/>).</summary>
public sealed class PublicationContentTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private const string Image = "https://stream.mux.com/a/image.jpg";
    private const string Video = "https://stream.mux.com/a/highest.mp4";

    [Fact]
    public void Media_is_one_object_as_before_or_a_list()
    {
        var single = JsonSerializer.Deserialize<CreatePublicationRequest>("""{"media":{"type":"image","url":"https://x/a.jpg"}}""", Json)!;
        var list = JsonSerializer.Deserialize<CreatePublicationRequest>(
            """{"media":[{"type":"image","url":"https://x/a.jpg","alt_text":"A"},{"type":"video","url":"https://x/b.mp4"}]}""", Json)!;

        Assert.Equal("https://x/a.jpg", Assert.Single(single.Items).Url);
        Assert.Equal(["image", "video"], list.Items.Select(m => m.Type));
        Assert.Equal("A", list.Items[0].AltText);
        // Left out, or null: a post without media.
        Assert.Empty(JsonSerializer.Deserialize<CreatePublicationRequest>("""{"user_id":"u"}""", Json)!.Items);
        Assert.Empty(JsonSerializer.Deserialize<CreatePublicationRequest>("""{"media":null}""", Json)!.Items);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CreatePublicationRequest>("""{"media":"https://x/a.jpg"}""", Json));
    }

    private static CreatePublicationRequest Request(params (string Type, string Url, string? Alt)[] media) => new()
    {
        UserId = "u", Media = media.Select(m => new PublicationMedia { Type = m.Type, Url = m.Url, AltText = m.Alt }).ToList(),
        Caption = "Publication text", Title = "Publication title",
    };

    private static string? CodeOf(CreatePublicationRequest request, PublicationTarget target, string platform) =>
        PlatformRules.Check(PlatformRules.ContentOf(request, target, platform))?.Error.Code;

    [Theory]
    [InlineData("instagram", "reels", "image", "format_media_mismatch")]
    [InlineData("instagram", "feed", "video", "format_media_mismatch")]
    [InlineData("instagram", "reel", "video", "format_not_supported")]
    [InlineData("facebook", "story", "image", null)]
    [InlineData("facebook", "story", "video", null)]
    [InlineData("facebook", "reel", "video", null)]
    [InlineData("facebook", "reel", "image", "format_media_mismatch")]
    [InlineData("facebook", "reels", "video", "format_not_supported")]
    [InlineData("youtube", "story", "video", "format_not_supported")]
    [InlineData("youtube", null, "image", "media_type_not_supported")]
    [InlineData("instagram", "story", "image", null)]
    [InlineData("instagram", "story", "video", null)]
    [InlineData("instagram", null, "video", null)]
    [InlineData("facebook", null, "video", null)]
    public void Each_platform_takes_its_formats_with_the_media_they_need(string platform, string? format, string type, string? code)
    {
        var request = Request((type, type == "image" ? Image : Video, null));

        Assert.Equal(code, CodeOf(request, new PublicationTarget { Format = format }, platform));
    }

    [Fact]
    public void Several_items_are_an_instagram_carousel_and_one_item_for_every_other_format()
    {
        var mixed = Request(("image", Image, "A mug"), ("video", Video, null), ("image", Image, null));

        Assert.Null(CodeOf(mixed, new PublicationTarget(), PlatformNames.Instagram));
        Assert.Null(CodeOf(mixed, new PublicationTarget { Format = "feed" }, PlatformNames.Instagram));
        Assert.Equal("media_count_invalid", CodeOf(mixed, new PublicationTarget { Format = "story" }, PlatformNames.Instagram));
        Assert.Equal("media_count_invalid", CodeOf(mixed, new PublicationTarget { Format = "reels" }, PlatformNames.Instagram));
        Assert.Equal("media_type_not_supported", CodeOf(mixed, new PublicationTarget(), PlatformNames.YouTube));
    }

    [Fact]
    public void Several_photos_are_a_facebook_multi_photo_post_of_images_only()
    {
        var photos = Request(("image", Image, "Front"), ("image", Image, null));

        Assert.Null(CodeOf(photos, new PublicationTarget(), PlatformNames.Facebook));
        Assert.Equal("format_media_mismatch", CodeOf(Request(("image", Image, null), ("video", Video, null)), new PublicationTarget(), PlatformNames.Facebook));
        Assert.Equal("media_count_invalid", CodeOf(Request(Enumerable.Repeat(("image", Image, (string?)null), 11).ToArray()), new PublicationTarget(), PlatformNames.Facebook));
    }

    [Fact]
    public void A_post_without_media_is_a_facebook_text_or_link_post_and_nothing_else()
    {
        var text = Request();
        var link = Request();
        link.Caption = null;
        link.Facebook = new FacebookOptionsRequest { Link = "https://example.com/a?b=c" };
        var empty = Request();
        empty.Caption = " ";

        Assert.Null(CodeOf(text, new PublicationTarget(), PlatformNames.Facebook));
        Assert.Null(CodeOf(link, new PublicationTarget(), PlatformNames.Facebook));
        Assert.Equal("caption_invalid", CodeOf(empty, new PublicationTarget(), PlatformNames.Facebook));
        Assert.Equal("media_required", CodeOf(text, new PublicationTarget(), PlatformNames.Instagram));
        Assert.Equal("media_required", CodeOf(text, new PublicationTarget(), PlatformNames.YouTube));
        // A target's own facebook options win over the publication's.
        Assert.Null(CodeOf(empty, new PublicationTarget { Facebook = new FacebookOptionsRequest { Link = "http://example.com" } }, PlatformNames.Facebook));
    }

    [Theory]
    [InlineData("example.com/page", false)]
    [InlineData("ftp://example.com/file", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("/relative/path", false)]
    [InlineData("https://example.com/page?utm=1#top", true)]
    [InlineData("http://example.com", true)]
    public void A_link_is_an_absolute_http_or_https_url_on_a_post_without_media(string url, bool ok)
    {
        var request = Request();
        request.Facebook = new FacebookOptionsRequest { Link = url };
        var withPhoto = Request(("image", Image, null));
        withPhoto.Facebook = new FacebookOptionsRequest { Link = "https://example.com" };

        Assert.Equal(ok ? null : "link_invalid", CodeOf(request, new PublicationTarget(), PlatformNames.Facebook));
        Assert.Equal("link_invalid", CodeOf(withPhoto, new PublicationTarget(), PlatformNames.Facebook));
        // The facebook object is Facebook's: an Instagram target with media ignores it.
        Assert.Null(CodeOf(withPhoto, new PublicationTarget(), PlatformNames.Instagram));
    }

    [Fact]
    public void Alt_text_is_for_images_and_not_for_stories()
    {
        Assert.Equal("alt_text_not_supported", CodeOf(Request(("video", Video, "A clip")), new PublicationTarget(), PlatformNames.Facebook));
        Assert.Equal("alt_text_not_supported", CodeOf(Request(("image", Image, "A mug")), new PublicationTarget { Format = "story" }, PlatformNames.Instagram));
        Assert.Null(CodeOf(Request(("image", Image, "A mug")), new PublicationTarget(), PlatformNames.Instagram));
        Assert.Null(CodeOf(Request(("image", Image, "A mug")), new PublicationTarget(), PlatformNames.Facebook));
        Assert.Equal("alt_text_not_supported", CodeOf(Request(("image", Image, "A mug")), new PublicationTarget { Format = "story" }, PlatformNames.Facebook));
        Assert.Equal("media_count_invalid", CodeOf(Request(("image", Image, null), ("image", Image, null)), new PublicationTarget { Format = "story" }, PlatformNames.Facebook));
        Assert.Equal("media_required", CodeOf(Request(), new PublicationTarget { Format = "reel" }, PlatformNames.Facebook));
    }

    [Fact]
    public void The_rules_apply_to_each_targets_own_text()
    {
        var request = Request(("video", Video, null));
        request.Caption = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"#t{i}"));

        // The publication's caption breaks Instagram's hashtag rule; a target with its own short caption does not.
        Assert.Equal("caption_invalid", CodeOf(request, new PublicationTarget(), PlatformNames.Instagram));
        Assert.Null(CodeOf(request, new PublicationTarget { Caption = "Short #one" }, PlatformNames.Instagram));
        Assert.Null(CodeOf(request, new PublicationTarget(), PlatformNames.Facebook));
        // A YouTube target's own title is held to 100 characters even when the publication's is fine.
        Assert.Equal("title_required", CodeOf(request, new PublicationTarget { Title = new string('t', 101) }, PlatformNames.YouTube));
        // A story carries no caption, so its caption is not held to the feed's rules.
        Assert.Null(CodeOf(request, new PublicationTarget { Format = "story" }, PlatformNames.Instagram));
    }

    [Fact]
    public void The_uploader_reads_back_each_targets_content_as_the_api_checked_it()
    {
        var target = Guid.NewGuid();
        var other = Guid.NewGuid();
        var publication = new Publication
        {
            UserId = "u", MediaType = "image", MediaUrl = Image, Caption = "All", Title = null,
            Options = JsonDocument.Parse(
                "{\"instagram\":{\"share_to_feed\":true},\"media\":[{\"type\":\"image\",\"url\":\"" + Image + "\",\"alt_text\":\"A mug\"}]," +
                "\"targets\":{\"" + target + "\":{\"format\":\"story\",\"caption\":\"Mine\",\"instagram\":{\"share_to_feed\":false}}}}"),
        };

        var mine = TargetContent.Read(publication, target, PlatformNames.Instagram, [Image + "?token=secret"]);
        var theirs = TargetContent.Read(publication, other, PlatformNames.Instagram, [Image]);

        Assert.Equal(("story", "Mine", false), (mine.Format, mine.Caption, mine.Flag("share_to_feed")));
        Assert.Equal(Image + "?token=secret", mine.Items[0].Url);
        Assert.Equal("A mug", mine.Items[0].AltText);
        Assert.Equal(("feed", "All", true), (theirs.Format, theirs.Caption, theirs.Flag("share_to_feed")));
    }
}
