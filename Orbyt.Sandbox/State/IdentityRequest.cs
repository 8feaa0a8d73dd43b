namespace Orbyt.Sandbox.State;

/// <summary>Options for <c>POST /_sandbox/identities</c>.</summary>
public sealed record IdentityRequest
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public bool Meta { get; init; } = true;
    public int Pages { get; init; } = 2;

    /// <summary>Pages the person's Business Portfolio owns and assigns them tasks on (absent from /me/accounts, §11.1).</summary>
    public int BusinessPages { get; init; }

    /// <summary>Client Pages the portfolio may access (agency case, <c>client_pages</c>), with tasks assigned to the person.</summary>
    public int ClientPages { get; init; }

    /// <summary>Portfolio-owned Pages the person has no task on: listed by <c>owned_pages</c> without a Page token.</summary>
    public int BusinessPagesWithoutTask { get; init; }
    /// <summary>Links an Instagram professional account to the first Page of each kind (own role, portfolio-owned, client).</summary>
    public bool Instagram { get; init; } = true;

    /// <summary>Instagram professional accounts with no Facebook Page: reachable only through Instagram Login (reference §14).</summary>
    public int InstagramWithoutPage { get; init; }

    /// <summary>The account type of those accounts: BUSINESS or MEDIA_CREATOR.</summary>
    public string InstagramAccountType { get; init; } = "BUSINESS";
    public bool Google { get; init; } = true;
    public bool YoutubeChannel { get; init; } = true;

    /// <summary>Whether the channel is allowed custom thumbnails (§15.2); false makes thumbnails.set answer 403 forbidden.</summary>
    public bool YoutubeCustomThumbnails { get; init; } = true;
}
