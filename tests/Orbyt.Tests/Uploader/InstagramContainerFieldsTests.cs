using Orbyt.Core.Data;
using Orbyt.Core.Jobs;
using Orbyt.Uploader.Publishing;

namespace Orbyt.Tests.Uploader;

/// <summary>A carousel child's container fields (reference §13.1, §13.7): by URL, or a pushed video child without its URL.</summary>
public sealed class InstagramContainerFieldsTests
{
    [Fact]
    public void A_pushed_video_child_is_a_video_carousel_item_without_a_video_url_and_an_image_child_keeps_its_url_and_alt_text()
    {
        var video = new ContentItem(MediaTypes.Video, "https://stream.mux.com/abc/highest.mp4", null);
        var image = new ContentItem(MediaTypes.Image, "https://image.mux.com/abc/thumbnail.jpg", "A mug");

        Assert.Equal([("video_url", video.Url), ("media_type", "VIDEO"), ("is_carousel_item", "true")], InstagramContainerFields.CarouselChild(video));
        // upload_type=resumable is added by the client; no caption on a child.
        Assert.Equal([("media_type", "VIDEO"), ("is_carousel_item", "true")], InstagramContainerFields.CarouselChild(video, pushed: true));
        Assert.Equal([("image_url", image.Url), ("is_carousel_item", "true"), ("alt_text", "A mug")], InstagramContainerFields.CarouselChild(image));
    }
}
