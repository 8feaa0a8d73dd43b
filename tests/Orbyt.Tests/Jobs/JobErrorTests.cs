using Orbyt.Core.Jobs;

namespace Orbyt.Tests.Jobs;

public sealed class JobErrorTests
{
    [Fact]
    public void A_signed_media_url_quoted_by_a_platform_keeps_its_path_but_not_its_token()
    {
        var redacted = JobError.RedactQueries("The media could not be fetched from this uri: https://stream.mux.com/abc/highest.mp4?token=eyJsecret");

        Assert.Equal("The media could not be fetched from this uri: https://stream.mux.com/abc/highest.mp4?…", redacted);
    }

    [Fact]
    public void A_message_without_urls_is_unchanged()
    {
        Assert.Equal("(#200) Requires pages_manage_posts permission", JobError.RedactQueries("(#200) Requires pages_manage_posts permission"));
    }
}
