using Microsoft.Extensions.Options;

namespace Orbyt.Sandbox.State;

/// <summary>
/// All sandbox state, in memory. One gate guards the maps; long work (network, request bodies) happens outside it,
/// and upload sessions are locked on their own while their bytes arrive.
/// </summary>
public sealed class SandboxState
{
    private readonly IOptions<SandboxOptions> _options;

    public SandboxState(SandboxClock clock, IOptions<SandboxOptions> options)
    {
        Clock = clock;
        _options = options;
        Reset();
    }

    public Lock Gate { get; } = new();
    public SandboxClock Clock { get; }
    public SandboxIds Ids { get; } = new();
    public SandboxSettings Settings { get; set; } = new();
    public SandboxOptions Options => _options.Value;

    public List<Identity> Identities { get; } = [];
    public Dictionary<string, MetaUser> MetaUsers { get; } = [];
    public Dictionary<string, FacebookPage> Pages { get; } = [];
    public Dictionary<string, InstagramAccount> InstagramAccounts { get; } = [];
    public Dictionary<string, MetaBusiness> Businesses { get; } = [];
    public Dictionary<string, MetaGrant> MetaGrants { get; } = [];
    public Dictionary<string, MetaCode> MetaCodes { get; } = [];

    /// <summary>Instagram Login's authorization codes (the code's UserId is the IG professional account id).</summary>
    public Dictionary<string, MetaCode> InstagramCodes { get; } = [];
    public Dictionary<string, MetaToken> MetaTokens { get; } = [];
    public Dictionary<string, string> PageTokenCache { get; } = [];
    public Dictionary<string, FacebookVideo> FacebookVideos { get; } = [];
    /// <summary>Unpublished Page photos (published=false), by id.</summary>
    public Dictionary<string, FacebookPhoto> FacebookPhotos { get; } = [];
    public Dictionary<string, FacebookUploadSession> FacebookUploads { get; } = [];
    public Dictionary<string, InstagramContainer> Containers { get; } = [];
    public Dictionary<string, InstagramMedia> InstagramMedia { get; } = [];
    public Dictionary<string, string> GraphObjectsOwner { get; } = [];

    /// <summary>Pages with location data a container's location_id may name (§13.1), seeded by <see cref="Reset"/>.</summary>
    public Dictionary<string, Place> Places { get; } = [];

    /// <summary>
    /// Instagram users that are not accounts of the sandbox, by username: true for a private profile. Collaborators and
    /// tagged users must be public: a seeded public user here or any account of the sandbox (§13.1, §13.4).
    /// </summary>
    public Dictionary<string, bool> InstagramUsers { get; } = new(StringComparer.Ordinal);

    /// <summary>The places and Instagram users every reset seeds (docs/sandbox.md).</summary>
    public static readonly Place[] SeededPlaces =
    [
        new("110843418940484", "Seattle, Washington", 47.6062, -122.3321),
        new("106078429431815", "London, United Kingdom", 51.5072, -0.1276),
    ];

    public static readonly (string Username, bool Private)[] SeededInstagramUsers =
        [("sandbox.alice", false), ("sandbox.bob", false), ("sandbox.carol", false), ("sandbox.dave", false), ("sandbox.private", true)];

    public Dictionary<string, GoogleAccount> GoogleAccounts { get; } = [];
    public Dictionary<string, GoogleCode> GoogleCodes { get; } = [];
    public Dictionary<string, GoogleGrant> GoogleGrants { get; } = [];
    public Dictionary<string, GoogleAccessToken> GoogleTokens { get; } = [];
    public Dictionary<string, YouTubeUploadSession> UploadSessions { get; } = [];
    public Dictionary<string, YouTubeVideo> Videos { get; } = [];
    public Dictionary<string, YouTubeThumbnailSession> ThumbnailSessions { get; } = [];
    public Dictionary<string, YouTubePlaylist> Playlists { get; } = [];
    public YouTubeQuota Quota { get; } = new();

    public Dictionary<string, MuxAsset> MuxAssets { get; } = [];
    public List<PublishedItem> Published { get; } = [];
    public FaultBook Faults { get; } = new();
    public LatencyBook Latency { get; } = new();
    public CallLog Calls { get; } = new();
    public MetaUsage Usage { get; } = new();

    /// <summary>Forgets everything, moves the clock back to real time and seeds one default identity.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            Clock.Reset();
            Ids.Reset();
            Settings = new SandboxSettings { MetaRequireAppsecretProof = Options.Meta.RequireAppSecretProof };

            Identities.Clear();
            MetaUsers.Clear();
            Pages.Clear();
            InstagramAccounts.Clear();
            Businesses.Clear();
            MetaGrants.Clear();
            MetaCodes.Clear();
            InstagramCodes.Clear();
            MetaTokens.Clear();
            PageTokenCache.Clear();
            FacebookVideos.Clear();
            FacebookPhotos.Clear();
            FacebookUploads.Clear();
            Containers.Clear();
            InstagramMedia.Clear();
            GraphObjectsOwner.Clear();
            Places.Clear();
            foreach (var place in SeededPlaces)
            {
                Places[place.Id] = place;
            }

            InstagramUsers.Clear();
            foreach (var (username, isPrivate) in SeededInstagramUsers)
            {
                InstagramUsers[username] = isPrivate;
            }

            GoogleAccounts.Clear();
            GoogleCodes.Clear();
            GoogleGrants.Clear();
            GoogleTokens.Clear();
            UploadSessions.Clear();
            Videos.Clear();
            ThumbnailSessions.Clear();
            Playlists.Clear();
            Quota.Reset();
            MuxAssets.Clear();
            Published.Clear();
            Faults.Clear();
            Latency.Clear();
            Calls.Clear();
            Usage.Clear();
            CreateIdentity(new IdentityRequest { Name = "Sandbox Tester", Email = "sandbox.tester@example.com" });
        }
    }

    public Identity CreateIdentity(IdentityRequest request)
    {
        lock (Gate)
        {
            var number = Identities.Count + 1;
            var id = $"identity-{number}";
            var name = request.Name ?? $"Test User {number}";
            MetaUser? meta = null;
            if (request.Meta)
            {
                meta = new MetaUser { Id = Ids.GraphId(), Name = name, IdentityId = id };
                MetaUsers[meta.Id] = meta;
                var handle = new string(name.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
                for (var i = 1; i <= request.Pages; i++)
                {
                    var page = AddPage($"{name} Page {i}", meta.Id, i == 1 && request.Instagram ? $"{handle}.studio" : null, id);
                    meta.PageIds.Add(page.Id);
                }

                if (request.BusinessPages + request.ClientPages + request.BusinessPagesWithoutTask > 0)
                {
                    var business = new MetaBusiness { Id = Ids.GraphId(), Name = $"{name} Portfolio" };
                    Businesses[business.Id] = business;
                    business.MemberUserIds.Add(meta.Id);
                    meta.BusinessIds.Add(business.Id);
                    for (var i = 1; i <= request.BusinessPages; i++)
                    {
                        var page = AddPage($"{name} Brand Page {i}", null, i == 1 && request.Instagram ? $"{handle}.brand" : null);
                        business.OwnedPageIds.Add(page.Id);
                        meta.PortfolioTaskPageIds.Add(page.Id);
                    }

                    for (var i = 1; i <= request.ClientPages; i++)
                    {
                        var page = AddPage($"{name} Client Page {i}", null, i == 1 && request.Instagram ? $"{handle}.client" : null);
                        business.ClientPageIds.Add(page.Id);
                        meta.PortfolioTaskPageIds.Add(page.Id);
                    }

                    for (var i = 1; i <= request.BusinessPagesWithoutTask; i++)
                    {
                        business.OwnedPageIds.Add(AddPage($"{name} Other Page {i}", null, null).Id);
                    }
                }
            }

            GoogleAccount? google = null;
            if (request.Google)
            {
                var email = request.Email ?? $"test.user{number}@example.com";
                YouTubeChannel? channel = request.YoutubeChannel
                    ? new YouTubeChannel
                    {
                        Id = Ids.ChannelId(),
                        Title = $"{name} Channel",
                        CustomUrl = "@" + new string(name.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray()),
                        PublishedAt = new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero),
                        CustomThumbnails = request.YoutubeCustomThumbnails,
                    }
                    : null;
                google = new GoogleAccount { Sub = Ids.GoogleSub(), Email = email, Name = name, IdentityId = id, Channel = channel };
                GoogleAccounts[google.Sub] = google;
            }

            var identity = new Identity { Id = id, Name = name, Meta = meta, Google = google };
            identity.InstagramAccountIds.AddRange(InstagramAccounts.Values.Where(a => a.IdentityId == id).Select(a => a.Id));
            var igHandle = new string(name.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
            for (var i = 1; i <= request.InstagramWithoutPage; i++)
            {
                // An Instagram professional account with no Facebook Page: only Instagram Login reaches it (§14).
                var ig = new InstagramAccount
                {
                    Id = Ids.IgUserId(), Username = $"{igHandle}.ig{i}", IdentityId = id, ScopedId = Ids.IgScopedId(), AccountType = request.InstagramAccountType,
                };
                InstagramAccounts[ig.Id] = ig;
                identity.InstagramAccountIds.Add(ig.Id);
            }

            Identities.Add(identity);
            return identity;
        }
    }

    private FacebookPage AddPage(string name, string? ownerUserId, string? instagramUsername, string? identityId = null)
    {
        var page = new FacebookPage { Id = Ids.GraphId(), Name = name, OwnerUserId = ownerUserId };
        Pages[page.Id] = page;
        if (instagramUsername is not null)
        {
            var ig = new InstagramAccount { Id = Ids.IgUserId(), Username = instagramUsername, PageId = page.Id, IdentityId = identityId, ScopedId = Ids.IgScopedId() };
            InstagramAccounts[ig.Id] = ig;
            page.IgUserId = ig.Id;
        }

        return page;
    }

    /// <summary>
    /// Whether the person can perform tasks on the Page — a Page role of their own, or a task assigned through a
    /// portfolio — which is what a Page token needs (reference §11.1, §11.5).
    /// </summary>
    public bool HasPageTask(string? userId, FacebookPage page)
    {
        lock (Gate)
        {
            return userId is not null && (page.OwnerUserId == userId
                || (MetaUsers.TryGetValue(userId, out var user) && user.PortfolioTaskPageIds.Contains(page.Id)));
        }
    }

    /// <summary>The person's role on the Page comes only through a Business Portfolio (Instagram then also needs ads_*, §11.7).</summary>
    public bool ActsThroughPortfolio(string? userId, FacebookPage page)
    {
        lock (Gate)
        {
            return userId is not null && page.OwnerUserId != userId
                && MetaUsers.TryGetValue(userId, out var user) && user.PortfolioTaskPageIds.Contains(page.Id);
        }
    }

    /// <summary>Every Page the person can act on: own roles first, then portfolio assignments.</summary>
    public IReadOnlyList<string> TaskPageIds(MetaUser user)
    {
        lock (Gate)
        {
            return [.. user.PageIds, .. user.PortfolioTaskPageIds.Where(p => !user.PageIds.Contains(p))];
        }
    }

    /// <summary>Finds a Meta user by identity id or user id.</summary>
    public MetaUser? FindMetaUser(string key)
    {
        lock (Gate)
        {
            return MetaUsers.TryGetValue(key, out var user)
                ? user
                : Identities.FirstOrDefault(i => i.Id == key)?.Meta;
        }
    }

    /// <summary>
    /// Finds the Instagram account Instagram Login signs in to by IG user id, username or identity id (an identity's
    /// first account without a Page, else its first account).
    /// </summary>
    public InstagramAccount? FindInstagramAccount(string key)
    {
        lock (Gate)
        {
            if (InstagramAccounts.TryGetValue(key, out var account))
            {
                return account;
            }

            var byName = InstagramAccounts.Values.FirstOrDefault(a => a.Username == key);
            if (byName is not null)
            {
                return byName;
            }

            var ids = Identities.FirstOrDefault(i => i.Id == key)?.InstagramAccountIds ?? [];
            var owned = ids.Select(id => InstagramAccounts[id]).ToList();
            return owned.FirstOrDefault(a => a.PageId is null) ?? owned.FirstOrDefault();
        }
    }

    /// <summary>Finds a Google account by identity id, sub or email.</summary>
    public GoogleAccount? FindGoogleAccount(string key)
    {
        lock (Gate)
        {
            return GoogleAccounts.TryGetValue(key, out var account)
                ? account
                : GoogleAccounts.Values.FirstOrDefault(a => string.Equals(a.Email, key, StringComparison.OrdinalIgnoreCase))
                  ?? Identities.FirstOrDefault(i => i.Id == key)?.Google;
        }
    }

    public MetaGrant GrantFor(string userId, string appId)
    {
        var key = userId + "/" + appId;
        if (!MetaGrants.TryGetValue(key, out var grant))
        {
            grant = new MetaGrant { UserId = userId, AppId = appId };
            MetaGrants[key] = grant;
        }

        return grant;
    }

    public void AddPublished(PublishedItem item)
    {
        lock (Gate)
        {
            Published.Add(item);
        }
    }
}
