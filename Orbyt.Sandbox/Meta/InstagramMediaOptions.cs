using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>
/// The container options beyond the media itself (reference §13.1 parameter matrix, §13.4 Reels options):
/// <c>share_to_feed</c>, <c>cover_url</c>, <c>thumb_offset</c>, <c>collaborators</c>, <c>location_id</c> and
/// <c>user_tags</c>, each accepted only on the kinds of container the matrix marks ✓ and refused (400/100 "Param … is not
/// allowed", the text publishers observed for collaborators on a carousel child) everywhere else.
/// </summary>
internal static partial class InstagramMediaOptions
{
    /// <summary>The kinds of container the §13.1 matrix has a column for (a carousel child split by its media).</summary>
    public enum Kind { Image, ImageChild, VideoChild, Carousel, Reel, Story }

    public const int MaxCollaborators = 3;
    /// <summary>Instagram's limit of people tagged in one post (sandbox choice; the Graph reference states no number).</summary>
    public const int MaxUserTags = 20;

    /// <summary>Which container kinds take each option (§13.1; share_to_feed and cover_url are Reels only, §13.4).</summary>
    private static readonly Dictionary<string, Kind[]> Allowed = new(StringComparer.Ordinal)
    {
        ["share_to_feed"] = [Kind.Reel],
        ["cover_url"] = [Kind.Reel],
        ["thumb_offset"] = [Kind.Reel, Kind.VideoChild],
        ["collaborators"] = [Kind.Image, Kind.Carousel, Kind.Reel],
        ["location_id"] = [Kind.Image, Kind.Carousel, Kind.Reel],
        ["user_tags"] = [Kind.Image, Kind.ImageChild, Kind.VideoChild, Kind.Reel, Kind.Story],
    };

    /// <summary>The kind of the container the request creates.</summary>
    public static Kind KindOf(string? mediaType, bool carouselItem, bool image) => mediaType switch
    {
        "CAROUSEL" => Kind.Carousel,
        "STORIES" => Kind.Story,
        _ when carouselItem => image ? Kind.ImageChild : Kind.VideoChild,
        _ => image ? Kind.Image : Kind.Reel,
    };

    /// <summary>
    /// Every option the request carries, checked against the container's kind and its own rules; the parsed options, or
    /// the error Meta answers. <c>cover_url</c> is only checked for presence here: it is fetched like the media (§13.4).
    /// The username lookups hold the state's gate.
    /// </summary>
    public static (ContainerOptions? Options, GraphError? Error) Read(GraphRequest request, SandboxState state, Kind kind)
    {
        foreach (var (name, kinds) in Allowed)
        {
            if (request[name] is not null && !kinds.Contains(kind))
            {
                return (null, GraphError.InvalidParameter($"Param {name} is not allowed for {Describe(kind)}."));
            }
        }

        var options = new ContainerOptions { ShareToFeed = request["share_to_feed"] is null ? null : request.Flag("share_to_feed", true), CoverUrl = request["cover_url"] };
        if (request["thumb_offset"] is { } offset)
        {
            if (!long.TryParse(offset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                return (null, GraphError.InvalidParameter("Param thumb_offset must be an integer."));
            }

            // §13.4: outside [0, duration) is 1/2207057; the upper end is known once the video is read.
            if (ms < 0)
            {
                return (null, ThumbOffsetOutOfRange());
            }

            options.ThumbOffset = ms;
        }

        if (request["collaborators"] is { } collaborators)
        {
            if (ParseStrings(collaborators) is not { } names)
            {
                return (null, GraphError.InvalidParameter("Param collaborators must be a JSON array of usernames."));
            }

            if (names.Count > MaxCollaborators)
            {
                return (null, GraphError.InvalidParameter($"Param collaborators must have at most {MaxCollaborators} usernames."));
            }

            if (names.FirstOrDefault(n => !IsPublicUser(state, n)) is not null)
            {
                return (null, InvalidUser());
            }

            options.Collaborators = names;
        }

        if (request["location_id"] is { } locationId)
        {
            lock (state.Gate)
            {
                // §13.1: a location is a Page with location data; any other id fails the same way.
                if (!state.Places.ContainsKey(locationId))
                {
                    return (null, new GraphError(100, "(#100) INSTAGRAM_PLATFORM_API__INVALID_LOCATION_ID", UserTitle: "Invalid location",
                        UserMessage: "The location_id is not a Page with location data."));
                }
            }

            options.LocationId = locationId;
        }

        if (request["user_tags"] is { } userTags)
        {
            var (tags, error) = ParseUserTags(userTags, coordinatesRequired: kind is Kind.Image or Kind.ImageChild);
            if (error is not null)
            {
                return (null, error);
            }

            if (tags!.FirstOrDefault(t => !IsPublicUser(state, t.Username)) is not null)
            {
                return (null, InvalidUser());
            }

            options.UserTags = tags;
        }

        return (options, null);
    }

    /// <summary>§13.4 / §4.4: a thumbnail offset outside [0, duration).</summary>
    public static GraphError ThumbOffsetOutOfRange() => GraphError.Instagram(1, 2207057, "Thumbnail offset out of range",
        "The thumbnail offset must be at least 0 and less than the video's duration in milliseconds.", "An unknown error has occurred.");

    /// <summary>Whether a thumbnail offset (ms) falls outside a video of this many seconds.</summary>
    public static bool OutOfRange(long? thumbOffset, double? durationSeconds) =>
        thumbOffset is { } ms && durationSeconds is { } seconds && ms >= seconds * 1000;

    /// <summary>
    /// A collaborator or tagged user Meta cannot load: a private profile, an unknown username, or a handle with a leading
    /// <c>@</c> (110/2207018, as publishers observed it).
    /// </summary>
    private static GraphError InvalidUser() => new(110, "Invalid user id", 2207018, IsTransient: false,
        UserTitle: "Cannot load user with a private profile or invalid username",
        UserMessage: "One of the usernames cannot be found or belongs to a private profile.");

    /// <summary>A public Instagram account the sandbox knows: any account in it, or a seeded public user (not a private one).</summary>
    private static bool IsPublicUser(SandboxState state, string username)
    {
        if (!Username().IsMatch(username))
        {
            return false;
        }

        lock (state.Gate)
        {
            return state.InstagramUsers.TryGetValue(username, out var isPrivate) ? !isPrivate : state.InstagramAccounts.Values.Any(a => a.Username == username);
        }
    }

    private static List<string>? ParseStrings(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                return null;
            }

            return doc.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (List<UserTag>? Tags, GraphError? Error) ParseUserTags(string json, bool coordinatesRequired)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return (null, GraphError.InvalidParameter("Param user_tags must be a JSON array of objects."));
        }

        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return (null, GraphError.InvalidParameter("Param user_tags must be a JSON array of objects."));
        }

        var tags = new List<UserTag>();
        var i = 0;
        foreach (var tag in doc.RootElement.EnumerateArray())
        {
            if (tag.ValueKind != JsonValueKind.Object || !tag.TryGetProperty("username", out var username) || username.ValueKind != JsonValueKind.String)
            {
                return (null, GraphError.InvalidParameter($"Param user_tags[{i}]['username'] is required."));
            }

            double? Coordinate(string axis, out GraphError? error)
            {
                error = null;
                if (!tag.TryGetProperty(axis, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    // §13.1: required on images; optional on stories (since 2025-07-09) and videos.
                    error = coordinatesRequired ? GraphError.InvalidParameter($"Param user_tags[{i}]['{axis}'] is required.") : null;
                    return null;
                }

                if (value.ValueKind != JsonValueKind.Number)
                {
                    error = GraphError.InvalidParameter($"Param user_tags[{i}]['{axis}'] must be a number.");
                    return null;
                }

                var number = value.GetDouble();
                error = number switch
                {
                    > 1 => GraphError.InvalidParameter($"Param user_tags[{i}]['{axis}'] must be a number less than or equal to 1"),
                    < 0 => GraphError.InvalidParameter($"Param user_tags[{i}]['{axis}'] must be a number greater than or equal to 0"),
                    _ => null,
                };
                return number;
            }

            var x = Coordinate("x", out var xError);
            if (xError is not null)
            {
                return (null, xError);
            }

            var y = Coordinate("y", out var yError);
            if (yError is not null)
            {
                return (null, yError);
            }

            tags.Add(new UserTag(username.GetString()!, x, y));
            i++;
        }

        return tags.Count > MaxUserTags
            ? (null, GraphError.InvalidParameter($"Param user_tags must have at most {MaxUserTags} items."))
            : (tags, null);
    }

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Image => "an image",
        Kind.ImageChild or Kind.VideoChild => "carousel items",
        Kind.Carousel => "a carousel",
        Kind.Reel => "reels",
        _ => "stories",
    };

    /// <summary>An Instagram username: letters, digits, periods and underscores, at most 30 (no leading @).</summary>
    [GeneratedRegex(@"^[A-Za-z0-9._]{1,30}$")]
    private static partial Regex Username();
}
