using System.Security.Cryptography;
using System.Text;

namespace Orbyt.Sandbox.State;

/// <summary>
/// Deterministic ids and tokens that look like the real ones: counters hashed into the platforms' alphabets, so a
/// reset sandbox hands out the same values again.
/// </summary>
public sealed class SandboxIds
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private long _graph;
    private long _igUser;
    private long _igContainer;
    private long _igScoped;
    private long _igMedia;
    private long _google;
    private long _serial;

    public void Reset()
    {
        _graph = 0;
        _igUser = 0;
        _igContainer = 0;
        _igScoped = 0;
        _igMedia = 0;
        _google = 0;
        _serial = 0;
    }

    /// <summary>Graph object ids: users, Pages, photos, videos, posts ("1000000000000001", ...).</summary>
    public string GraphId() => (1_000_000_000_000_000 + Interlocked.Increment(ref _graph)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Instagram professional account ids ("17841400000000001", ...).</summary>
    public string IgUserId() => (17_841_400_000_000_000 + Interlocked.Increment(ref _igUser)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Instagram-scoped user ids of Instagram Login ("7364100000000001", ...).</summary>
    public string IgScopedId() => (7_364_100_000_000_000 + Interlocked.Increment(ref _igScoped)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string IgContainerId() => (17_890_000_000_000_000 + Interlocked.Increment(ref _igContainer)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string IgMediaId() => (17_910_000_000_000_000 + Interlocked.Increment(ref _igMedia)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Google account subject ids (21 digits).</summary>
    public string GoogleSub() => (100_000_000_000_000_000_00m + Interlocked.Increment(ref _google)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public long Next() => Interlocked.Increment(ref _serial);

    public string MetaUserToken() => "EAAG" + Chars(Alnum, "meta-user", 180);

    public string MetaPageToken() => "EAAG" + Chars(Alnum, "meta-page", 180);

    /// <summary>Instagram User tokens of Instagram Login.</summary>
    public string InstagramUserToken() => "IGAA" + Chars(Alnum, "ig-user", 180);

    public string MetaAppToken(string appId) => appId + "|" + Chars(Alnum, "meta-app", 27);

    public string MetaCode() => "AQ" + Chars(Base64Url, "meta-code", 300);

    public string GoogleCode() => "4/0Ab" + Chars(Base64Url, "google-code", 68);

    public string GoogleAccessToken() => "ya29.a0Af" + Chars(Base64Url, "google-access", 150);

    public string GoogleRefreshToken() => "1//0g" + Chars(Base64Url, "google-refresh", 98);

    public string ChannelId() => "UC" + Chars(Base64Url, "channel", 22);

    public string VideoId() => Chars(Base64Url, "video", 11);

    public string Shortcode() => Chars(Base64Url, "shortcode", 11);

    public string UploadId() => "ABgVH" + Chars(Base64Url, "upload", 70);

    public string FacebookUploadSession() => Chars(Alnum, "fb-upload", 40);

    public string Etag() => Chars(Base64Url, "etag", 27);

    /// <summary>The n-th string of <paramref name="length"/> characters of <paramref name="alphabet"/> for a purpose.</summary>
    private string Chars(string alphabet, string purpose, int length)
    {
        var n = Next();
        var builder = new StringBuilder(length);
        var block = 0;
        while (builder.Length < length)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}:{n}:{block++}"));
            foreach (var b in hash)
            {
                if (builder.Length == length)
                {
                    break;
                }

                builder.Append(alphabet[b % alphabet.Length]);
            }
        }

        return builder.ToString();
    }
}
