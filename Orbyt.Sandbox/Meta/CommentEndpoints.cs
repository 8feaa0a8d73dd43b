using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>
/// The <c>/comments</c> edge of a published post: <c>POST</c> makes a comment authored by the account (a first
/// comment), <c>GET</c> lists them — how a client whose answer was lost finds out whether its comment exists.
/// Facebook (reference §12.6): any Page post, photo or video id, with the Page's token and
/// <c>pages_manage_engagement</c>. Instagram (§13.6): the published media id — never a container id — with
/// <c>instagram_manage_comments</c> (Facebook Login) or <c>instagram_business_manage_comments</c> (Instagram Login,
/// graph.instagram.com). Stories take no comments.
/// </summary>
internal static class CommentEndpoints
{
    /// <summary>Facebook's comment box limit (undocumented for the API; the sandbox holds the API to it).</summary>
    public const int FacebookMessageMax = 8000;

    /// <summary>Instagram's comment limit: the same 2,200 characters as a caption (undocumented for the API).</summary>
    public const int InstagramMessageMax = 2200;

    /// <summary>The comments edge of <paramref name="id"/>, or null when the id is no published post (the caller answers "unknown object").</summary>
    public static IResult? TryHandle(GraphRequest request, SandboxState state, MetaCaller caller, string id, string method)
    {
        PublishedItem? item;
        InstagramMedia? media;
        bool container;
        lock (state.Gate)
        {
            media = state.InstagramMedia.GetValueOrDefault(id);
            container = state.Containers.ContainsKey(id);
            item = state.Published.FirstOrDefault(p => p.Id == id || p.PostId == id);
        }

        if (container && method == "POST")
        {
            // §13.6: comment on the published media id, never on the container id.
            return new GraphError(100, "(#100) Comments can only be made on published media; this id is a media container.").ToResult();
        }

        if (media is not null && item is not null)
        {
            return Instagram(request, state, caller, media, item, method);
        }

        if (item is { Platform: "facebook" })
        {
            return Facebook(request, state, caller, item, id, method);
        }

        return null;
    }

    private static IResult Instagram(GraphRequest request, SandboxState state, MetaCaller caller, InstagramMedia media, PublishedItem item, string method)
    {
        InstagramAccount ig;
        lock (state.Gate)
        {
            ig = state.InstagramAccounts[media.IgUserId];
        }

        if (InstagramPublishing.RequireAccess(state, caller, ig, publish: false) is { } access)
        {
            return access.ToResult();
        }

        // §13.6: instagram_basic + instagram_manage_comments (+ pages_read_engagement) with Facebook Login;
        // instagram_business_basic + instagram_business_manage_comments with Instagram Login.
        var scope = caller.Token.Type == MetaTokenType.InstagramUser ? "instagram_business_manage_comments" : "instagram_manage_comments";
        if (!caller.Has(scope))
        {
            return GraphError.Permission(scope, 10).ToResult();
        }

        if (caller.Token.Type != MetaTokenType.InstagramUser && !caller.Has("pages_read_engagement"))
        {
            return GraphError.Permission("pages_read_engagement", 10).ToResult();
        }

        if (media.ProductType == "STORY")
        {
            return GraphError.UnknownObject(media.Id, method.ToLowerInvariant()).ToResult();
        }

        if (method == "GET")
        {
            List<PublishedComment> comments;
            lock (state.Gate)
            {
                comments = [.. item.Comments];
            }

            // IG Comment fields (IG Media comments reference): the default set is id, text and timestamp.
            var fields = request.Fields("id", "text", "timestamp");
            return GraphEndpoints.Json(GraphPaging.Page(request, comments, c => fields.Keys.ToDictionary(f => f, f => f switch
            {
                "id" => (object?)c.Id,
                "text" => c.Message,
                "timestamp" => GraphEndpoints.Iso(c.CreatedAt),
                "username" => ig.Username,
                "from" => new { id = ig.Id, username = ig.Username },
                _ => null,
            })));
        }

        if (method != "POST")
        {
            return GraphError.UnknownObject(media.Id, method.ToLowerInvariant()).ToResult();
        }

        var message = request["message"];
        if (string.IsNullOrWhiteSpace(message))
        {
            return GraphError.MissingParameter("message").ToResult();
        }

        if (message.Length > InstagramMessageMax)
        {
            return new GraphError(100, $"(#100) The comment is too long: at most {InstagramMessageMax} characters.").ToResult();
        }

        return Add(state, item, state.Ids.IgMediaId(), message, ig.Id);
    }

    private static IResult Facebook(GraphRequest request, SandboxState state, MetaCaller caller, PublishedItem item, string id, string method)
    {
        FacebookPage page;
        lock (state.Gate)
        {
            page = state.Pages[item.AccountId];
        }

        if (caller.Token.Type != MetaTokenType.Page || caller.Token.PageId != page.Id)
        {
            return GraphError.UnknownObject(id, method.ToLowerInvariant()).ToResult();
        }

        // §12.6: the Page's token with pages_manage_engagement makes a comment authored by the Page; reading the
        // Page's own comments needs pages_read_engagement.
        var scope = method == "POST" ? "pages_manage_engagement" : "pages_read_engagement";
        if (!caller.Has(scope))
        {
            return GraphError.Permission(scope).ToResult();
        }

        if (method == "GET")
        {
            List<PublishedComment> comments;
            lock (state.Gate)
            {
                comments = [.. item.Comments];
            }

            // The Graph comments edge: chronological by default, order=reverse_chronological newest first.
            if (request["order"] == "reverse_chronological")
            {
                comments.Reverse();
            }

            var fields = request.Fields("id", "message", "created_time");
            return GraphEndpoints.Json(GraphPaging.Page(request, comments, c => fields.Keys.ToDictionary(f => f, f => f switch
            {
                "id" => (object?)c.Id,
                "message" => c.Message,
                "created_time" => GraphEndpoints.Iso(c.CreatedAt),
                "from" => new { id = page.Id, name = page.Name },
                _ => null,
            })));
        }

        if (method != "POST")
        {
            return GraphError.UnknownObject(id, method.ToLowerInvariant()).ToResult();
        }

        var message = request["message"];
        var attachment = request["attachment_url"] ?? request["attachment_id"] ?? request["attachment_share_url"];
        // §12.6: message and/or an attachment; an empty message alone is rejected.
        if (string.IsNullOrWhiteSpace(message) && string.IsNullOrEmpty(attachment))
        {
            return new GraphError(100, "(#100) Missing message or attachment").ToResult();
        }

        if (message is { Length: > FacebookMessageMax })
        {
            return new GraphError(100, $"(#100) The comment is too long: at most {FacebookMessageMax} characters.").ToResult();
        }

        return Add(state, item, $"{item.PostId ?? item.Id}_{state.Ids.GraphId()}", message ?? "", page.Id);
    }

    private static IResult Add(SandboxState state, PublishedItem item, string commentId, string message, string authorId)
    {
        lock (state.Gate)
        {
            item.Comments.Add(new PublishedComment(commentId, message, authorId, state.Clock.GetUtcNow()));
        }

        return GraphEndpoints.Json(new { id = commentId });
    }
}
