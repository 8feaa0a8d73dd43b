using System.Globalization;
using Orbyt.Sandbox.Media;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>
/// graph.facebook.com and graph-video.facebook.com: one dispatcher, because Graph paths are object ids
/// ("/{id}/{edge}") with an optional version segment.
/// </summary>
internal static class GraphEndpoints
{
    public static IEndpointRouteBuilder MapGraphEndpoints(this IEndpointRouteBuilder app)
    {
        string[] methods = ["GET", "POST", "DELETE"];
        app.MapMethods("/graph/{**rest}", methods, Handle).DisableAntiforgery();
        app.MapMethods("/graph-video/{**rest}", methods, Handle).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> Handle(HttpContext context, SandboxState state, MediaFetcher fetcher)
    {
        var path = GraphPath.Parse(context.Request.Path.Value ?? "");
        var segments = path.Segments;
        var method = context.Request.Method;
        // upload:{id} POST carries raw bytes: leave the body alone.
        var isUploadSession = segments.Length == 1 && segments[0].StartsWith("upload:", StringComparison.Ordinal);
        var request = isUploadSession ? new GraphRequest { Context = context } : await GraphRequest.ReadAsync(context);
        if (segments is ["oauth", "access_token"])
        {
            return MetaTokenEndpoints.AccessToken(request, state);
        }

        if (segments is ["debug_token"])
        {
            return MetaTokenEndpoints.DebugToken(request, state);
        }

        // An upload session takes its token only from "Authorization: OAuth" (reference §17.4).
        var token = isUploadSession ? OAuthHeaderToken(context) : request.AccessToken;
        var (caller, authError) = MetaAuth.Authenticate(state, token);
        if (caller is null)
        {
            return authError!.ToResult();
        }

        // An Instagram Login token is an Instagram User token: graph.facebook.com cannot parse it (reference §14.6).
        if (caller.Token.Type == MetaTokenType.InstagramUser)
        {
            return GraphError.BadToken().ToResult();
        }

        var proof = request["appsecret_proof"] ?? context.Request.Query["appsecret_proof"].ToString();
        if (MetaAuth.CheckAppSecretProof(state, caller, proof) is { } proofError)
        {
            return proofError.ToResult();
        }

        if (segments.Length == 0)
        {
            return GraphError.UnknownObject("", method.ToLowerInvariant()).ToResult();
        }

        var objectId = segments[0] == "me" ? caller.UserId ?? caller.Token.PageId ?? "me" : segments[0];
        var edge = segments.Length > 1 ? segments[1] : null;
        var throttled = GraphRateLimits.Apply(context, state, caller, objectId, edge, method);
        if (throttled is not null)
        {
            return throttled.ToResult();
        }

        var rest = segments.Length > 2 ? segments[2] : null;
        var result = await Dispatch(request, state, fetcher, caller, objectId, edge, rest, method, context.RequestAborted);
        return result;
    }

    private static async Task<IResult> Dispatch(
        GraphRequest request, SandboxState state, MediaFetcher fetcher, MetaCaller caller, string id, string? edge, string? rest, string method,
        CancellationToken ct)
    {
        if (id.StartsWith("upload:", StringComparison.Ordinal))
        {
            return await PagePublishing.UploadSession(request, state, caller, id[7..], method, ct);
        }

        if (id == state.Options.Meta.AppId && edge == "uploads" && method == "POST")
        {
            return PagePublishing.StartUploadSession(request, state, caller);
        }

        MetaUser? user;
        FacebookPage? page;
        InstagramAccount? ig;
        MetaBusiness? business;
        lock (state.Gate)
        {
            user = state.MetaUsers.GetValueOrDefault(id);
            page = state.Pages.GetValueOrDefault(id);
            ig = state.InstagramAccounts.GetValueOrDefault(id);
            business = state.Businesses.GetValueOrDefault(id);
        }

        if (business is not null && method == "GET")
        {
            return BusinessEndpoints.Business(request, state, caller, business, edge);
        }

        if (user is not null)
        {
            return (edge, method) switch
            {
                (null, "GET") => Me(request, caller, user),
                ("accounts", "GET") => Accounts(request, state, caller, user),
                ("businesses", "GET") => BusinessEndpoints.Businesses(request, state, caller, user),
                ("permissions", "GET") => Permissions(caller, user),
                ("permissions", "DELETE") => RevokePermissions(state, caller, user, rest),
                _ => GraphError.UnknownObject(id, method.ToLowerInvariant()).ToResult(),
            };
        }

        if (page is not null)
        {
            return (edge, method) switch
            {
                (null, "GET") => PageFields(request, state, caller, page),
                ("feed", "POST") => PagePublishing.Feed(request, state, caller, page),
                ("feed", "GET") => PagePublishing.ListFeed(request, state, caller, page),
                ("photos", "POST") => await PagePublishing.Photo(request, state, fetcher, caller, page, ct),
                ("photos", "GET") => PagePublishing.ListPhotos(request, state, caller, page),
                ("videos", "POST") => await PagePublishing.Video(request, state, fetcher, caller, page, ct),
                ("videos", "GET") => PagePublishing.ListVideos(request, state, caller, page),
                ("video_reels", "POST") => PagePublishing.VideoEdge(request, state, caller, page),
                ("video_stories", "POST") => PagePublishing.VideoEdge(request, state, caller, page, story: true),
                ("photo_stories", "POST") => PagePublishing.PhotoStory(request, state, caller, page),
                ("stories", "GET") => PagePublishing.ListStories(request, state, caller, page),
                ("video_reels", "GET") => PagePublishing.ListReels(request, state, caller, page),
                _ => GraphError.UnknownObject(id, method.ToLowerInvariant()).ToResult(),
            };
        }

        if (ig is not null)
        {
            return (edge, method) switch
            {
                (null, "GET") => InstagramPublishing.Account(request, state, caller, ig),
                ("media", "POST") => await InstagramPublishing.CreateContainer(request, state, fetcher, caller, ig, ct),
                ("media_publish", "POST") => InstagramPublishing.Publish(request, state, caller, ig),
                ("content_publishing_limit", "GET") => InstagramPublishing.PublishingLimit(request, state, caller, ig),
                _ => GraphError.UnknownObject(id, method.ToLowerInvariant()).ToResult(),
            };
        }

        if (edge == "comments" && CommentEndpoints.TryHandle(request, state, caller, id, method) is { } comments)
        {
            return comments;
        }

        if (edge is null && method == "GET")
        {
            return InstagramPublishing.TryGetObject(request, state, caller, id)
                   ?? PagePublishing.TryGetVideo(request, state, caller, id)
                   ?? GraphError.UnknownObject(id).ToResult();
        }

        return GraphError.UnknownObject(id, method.ToLowerInvariant()).ToResult();
    }

    private static string? OAuthHeaderToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase) ? header[6..].Trim() : null;
    }

    private static IResult Me(GraphRequest request, MetaCaller caller, MetaUser user)
    {
        if (caller.UserId != user.Id)
        {
            return GraphError.UnknownObject(user.Id).ToResult();
        }

        var fields = request.Fields("name", "id");
        var body = new Dictionary<string, object?>();
        foreach (var field in fields.Keys)
        {
            body[field] = field switch
            {
                "id" => user.Id,
                "name" => user.Name,
                "first_name" => user.Name.Split(' ')[0],
                "short_name" => user.Name.Split(' ')[0],
                _ => null,
            };
        }

        body["id"] = user.Id;
        return Json(body);
    }

    private static IResult Accounts(GraphRequest request, SandboxState state, MetaCaller caller, MetaUser user)
    {
        if (caller.UserId != user.Id || caller.Token.Type != MetaTokenType.User)
        {
            return GraphError.UnknownObject(user.Id).ToResult();
        }

        if (!caller.Has("pages_show_list"))
        {
            return GraphError.Permission("pages_show_list", 10).ToResult();
        }

        // Only Pages with a Page role of the person's own: one reached through a Business Portfolio is not here (§11.1).
        var fields = request.Fields("access_token", "category", "category_list", "name", "id", "tasks");
        List<FacebookPage> pages;
        lock (state.Gate)
        {
            pages = [.. user.PageIds.Select(id => state.Pages[id])];
        }

        return Json(GraphPaging.Page(request, pages, page => PageObject(state, caller, page, fields)));
    }

    /// <summary>A Page as a user sees it: <c>access_token</c> and <c>tasks</c> only when the person has a task on it (§11.5).</summary>
    internal static Dictionary<string, object?> PageObject(SandboxState state, MetaCaller caller, FacebookPage page, Dictionary<string, string?> fields)
    {
        var hasTask = caller.Token.Type == MetaTokenType.Page ? caller.Token.PageId == page.Id : state.HasPageTask(caller.UserId, page);
        var body = new Dictionary<string, object?>();
        foreach (var (field, sub) in fields)
        {
            switch (field)
            {
                case "id":
                    body["id"] = page.Id;
                    break;
                case "name":
                    body["name"] = page.Name;
                    break;
                case "category":
                    body["category"] = page.Category;
                    break;
                case "category_list":
                    body["category_list"] = new[] { new { id = "1605186416478696", name = page.Category } };
                    break;
                case "tasks" when hasTask:
                    body["tasks"] = new[] { "ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE" };
                    break;
                case "access_token" when caller.Token.Type == MetaTokenType.User && hasTask:
                    body["access_token"] = MetaAuth.PageTokenFor(state, caller.Token, page).Value;
                    break;
                case "instagram_business_account" when page.IgUserId is not null:
                    InstagramAccount ig;
                    lock (state.Gate)
                    {
                        ig = state.InstagramAccounts[page.IgUserId];
                    }

                    var subFields = (sub ?? "id").Split(',', StringSplitOptions.TrimEntries);
                    var igBody = new Dictionary<string, object?> { ["id"] = ig.Id };
                    if (subFields.Contains("username"))
                    {
                        igBody["username"] = ig.Username;
                    }

                    body["instagram_business_account"] = igBody;
                    break;
            }
        }

        body["id"] = page.Id;
        return body;
    }

    private static IResult PageFields(GraphRequest request, SandboxState state, MetaCaller caller, FacebookPage page)
    {
        var allowed = caller.Token.Type switch
        {
            MetaTokenType.Page => caller.Token.PageId == page.Id,
            MetaTokenType.User => (state.HasPageTask(caller.UserId, page) || InPortfolioOf(state, caller.UserId, page))
                                  && (caller.Has("pages_show_list") || caller.Has("pages_read_engagement")),
            _ => true,
        };
        if (!allowed)
        {
            return GraphError.UnknownObject(page.Id).ToResult();
        }

        return Json(PageObject(state, caller, page, request.Fields("name", "id")));
    }

    /// <summary>The Page belongs to (or is a client Page of) a portfolio the person is in: readable, not necessarily publishable.</summary>
    private static bool InPortfolioOf(SandboxState state, string? userId, FacebookPage page)
    {
        lock (state.Gate)
        {
            return userId is not null && state.MetaUsers.TryGetValue(userId, out var user)
                && user.BusinessIds.Any(b => state.Businesses[b].OwnedPageIds.Contains(page.Id) || state.Businesses[b].ClientPageIds.Contains(page.Id));
        }
    }

    private static IResult Permissions(MetaCaller caller, MetaUser user)
    {
        if (caller.UserId != user.Id || caller.Grant is null)
        {
            return GraphError.UnknownObject(user.Id).ToResult();
        }

        var data = caller.Grant.Scopes.Order(StringComparer.Ordinal).Select(s => new { permission = s, status = "granted" })
            .Concat(caller.Grant.Declined.Order(StringComparer.Ordinal).Select(s => new { permission = s, status = "declined" }));
        return Json(new { data });
    }

    /// <summary>DELETE /{user-id}/permissions[/{permission}]: de-authorises the app (or drops one permission).</summary>
    private static IResult RevokePermissions(SandboxState state, MetaCaller caller, MetaUser user, string? permission)
    {
        if (caller.Grant is null || (caller.UserId != user.Id && caller.Token.Type != MetaTokenType.App))
        {
            return GraphError.UnknownObject(user.Id, "delete").ToResult();
        }

        lock (state.Gate)
        {
            if (permission is null)
            {
                caller.Grant.Revoked = true;
            }
            else
            {
                // Removed one by one, a permission reads as declined, and the dialog needs auth_type=rerequest for it.
                caller.Grant.Scopes.Remove(permission);
                caller.Grant.Declined.Add(permission);
            }
        }

        return Json(new { success = true });
    }

    public static IResult Json(object body, int status = 200) => Results.Json(body, SandboxJson.Verbatim, statusCode: status);

    public static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);
}
