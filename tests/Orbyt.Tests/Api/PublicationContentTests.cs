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

        Assert.Equal("https://x/a.jpg", Assert.Single(single.Media).Url);
        Assert.Equal(["image", "video"], list.Media.Select(m => m.Type));
        Assert.Equal("A", list.Media[0].AltText);
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
    [InlineData("facebook", "story", "image", "format_not_supported")]
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
    public void Alt_text_is_for_images_and_not_for_stories()
    {
        Assert.Equal("alt_text_not_supported", CodeOf(Request(("video", Video, "A clip")), new PublicationTarget(), PlatformNames.Facebook));
        Assert.Equal("alt_text_not_supported", CodeOf(Request(("image", Image, "A mug")), new PublicationTarget { Format = "story" }, PlatformNames.Instagram));
        Assert.Null(CodeOf(Request(("image", Image, "A mug")), new PublicationTarget(), PlatformNames.Instagram));
        Assert.Null(CodeOf(Request(("image", Image, "A mug")), new PublicationTarget(), PlatformNames.Facebook));
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
