namespace Orbyt.Sandbox.State;

/// <summary>
/// Real call counters for each scope Meta limits separately (reference §4.3, §17.1), turned into the percentages Meta
/// reports: the app (platform limit, rolling hour, app and user tokens), each user across apps (rolling hour, user
/// tokens), each Page called with a user token (rolling hour, code 32) and each business object (Page / IG account,
/// rolling 24 h, Page tokens and Instagram calls).
/// </summary>
public sealed class MetaUsage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _app = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> _business = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> _user = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> _pageWithUserToken = [];
    private UsageOverride? _appOverride;
    private readonly Dictionary<string, UsageOverride> _businessOverrides = [];

    public void Clear()
    {
        lock (_gate)
        {
            _app.Clear();
            _business.Clear();
            _user.Clear();
            _pageWithUserToken.Clear();
            _appOverride = null;
            _businessOverrides.Clear();
        }
    }

    public void Override(UsageOverride? app, IReadOnlyDictionary<string, UsageOverride>? business)
    {
        lock (_gate)
        {
            _appOverride = app;
            _businessOverrides.Clear();
            foreach (var (id, value) in business ?? new Dictionary<string, UsageOverride>())
            {
                _businessOverrides[id] = value;
            }
        }
    }

    /// <summary>Counts one call and returns the resulting app usage.</summary>
    public UsageSnapshot CountApp(string appId, DateTimeOffset now, int budgetPerHour) =>
        Count(_app, isApp: true, appId, now, TimeSpan.FromHours(1), budgetPerHour);

    public UsageSnapshot CountBusiness(string objectId, DateTimeOffset now, int budgetPerDay) =>
        Count(_business, isApp: false, objectId, now, TimeSpan.FromDays(1), budgetPerDay);

    /// <summary>Counts one call made with a user's token (any app): the user's own limit, code 17.</summary>
    public UsageSnapshot CountUser(string userId, DateTimeOffset now, int budgetPerHour) =>
        Count(_user, isApp: false, "user:" + userId, now, TimeSpan.FromHours(1), budgetPerHour, scriptable: false);

    /// <summary>Counts one call on a Page made with a user token: the Page's platform limit, code 32.</summary>
    public UsageSnapshot CountPageWithUserToken(string pageId, DateTimeOffset now, int budgetPerHour) =>
        Count(_pageWithUserToken, isApp: false, "page:" + pageId, now, TimeSpan.FromHours(1), budgetPerHour, scriptable: false);

    private UsageSnapshot Count(
        Dictionary<string, Queue<DateTimeOffset>> counters, bool isApp, string key, DateTimeOffset now, TimeSpan window, int budget, bool scriptable = true)
    {
        lock (_gate)
        {
            var scripted = !scriptable ? null : isApp ? _appOverride : _businessOverrides.GetValueOrDefault(key);
            if (!counters.TryGetValue(key, out var calls))
            {
                calls = new Queue<DateTimeOffset>();
                counters[key] = calls;
            }

            while (calls.Count > 0 && calls.Peek() <= now - window)
            {
                calls.Dequeue();
            }

            calls.Enqueue(now);
            var percent = (int)Math.Min(100, calls.Count * 100L / Math.Max(1, budget));
            var minutes = percent >= 100 ? (int)Math.Ceiling((calls.Peek() + window - now).TotalMinutes) : 0;
            var time = Math.Max(1, percent / 2);
            return new UsageSnapshot(
                scripted?.CallCount ?? percent,
                scripted?.TotalTime ?? time,
                scripted?.TotalCputime ?? time,
                scripted?.EstimatedTimeToRegainAccess ?? minutes);
        }
    }
}
