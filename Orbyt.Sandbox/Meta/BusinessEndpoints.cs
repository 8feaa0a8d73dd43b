using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>
/// Business Portfolios (reference §11.3, §11.4): <c>/me/businesses</c>, a business node, and its <c>owned_pages</c>
/// and <c>client_pages</c> edges. Every one of them needs <c>business_management</c> and a member of the business.
/// </summary>
internal static class BusinessEndpoints
{
    /// <summary>What the client_pages edge says the business may do on a client's Page.</summary>
    private static readonly string[] PermittedTasks = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MODERATE"];

    public static IResult Businesses(GraphRequest request, SandboxState state, MetaCaller caller, MetaUser user)
    {
        if (caller.UserId != user.Id || caller.Token.Type != MetaTokenType.User)
        {
            return GraphError.UnknownObject(user.Id).ToResult();
        }

        if (!caller.Has("business_management"))
        {
            return GraphError.Permission("business_management").ToResult();
        }

        List<MetaBusiness> businesses;
        lock (state.Gate)
        {
            businesses = [.. user.BusinessIds.Select(id => state.Businesses[id])];
        }

        var fields = request.Fields("id", "name");
        return GraphEndpoints.Json(GraphPaging.Page(request, businesses, b => Node(b, fields)));
    }

    public static IResult Business(GraphRequest request, SandboxState state, MetaCaller caller, MetaBusiness business, string? edge)
    {
        bool member;
        lock (state.Gate)
        {
            member = caller.UserId is not null && business.MemberUserIds.Contains(caller.UserId);
        }

        if (!member || caller.Token.Type != MetaTokenType.User)
        {
            return GraphError.UnknownObject(business.Id).ToResult();
        }

        if (!caller.Has("business_management"))
        {
            return GraphError.Permission("business_management").ToResult();
        }

        var fields = request.Fields("id", "name");
        return edge switch
        {
            null => GraphEndpoints.Json(Node(business, fields)),
            "owned_pages" => Pages(request, state, caller, business.OwnedPageIds, client: false),
            "client_pages" => Pages(request, state, caller, business.ClientPageIds, client: true),
            _ => GraphError.UnknownObject(business.Id).ToResult(),
        };
    }

    private static IResult Pages(GraphRequest request, SandboxState state, MetaCaller caller, List<string> pageIds, bool client)
    {
        List<FacebookPage> pages;
        lock (state.Gate)
        {
            pages = [.. pageIds.Select(id => state.Pages[id])];
        }

        var fields = request.Fields("id", "name");
        return GraphEndpoints.Json(GraphPaging.Page(request, pages, page =>
        {
            // access_token and tasks only where the person has a task (§11.1: listed is not connectable).
            var body = GraphEndpoints.PageObject(state, caller, page, fields);
            if (client && fields.ContainsKey("permitted_tasks"))
            {
                body["permitted_tasks"] = PermittedTasks;
            }

            return body;
        }));
    }

    private static Dictionary<string, object?> Node(MetaBusiness business, Dictionary<string, string?> fields)
    {
        var body = new Dictionary<string, object?> { ["id"] = business.Id };
        if (fields.ContainsKey("name"))
        {
            body["name"] = business.Name;
        }

        if (fields.ContainsKey("permitted_roles"))
        {
            body["permitted_roles"] = new[] { "EMPLOYEE" };
        }

        return body;
    }
}
