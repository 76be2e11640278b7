using System.Text;
using System.Text.Json;

namespace OpenList.DriverHost.Config;

/// <summary>How WebDAV GET/HEAD on a file is answered (<c>webdav_policy</c>).</summary>
public enum WebDavPolicy
{
    /// <summary><c>302_redirect</c>: redirect to the driver's link (proxy when the link needs headers).</summary>
    Redirect302,

    /// <summary><c>use_proxy_url</c>: redirect to <c>down_proxy_url</c> + path + <c>?sign=</c>.</summary>
    UseProxyUrl,

    /// <summary><c>native_proxy</c>: the host streams the bytes.</summary>
    NativeProxy,
}

/// <summary>The JSON spellings of <see cref="WebDavPolicy"/>.</summary>
public static class WebDavPolicyNames
{
    public const string Redirect302 = "302_redirect";
    public const string UseProxyUrl = "use_proxy_url";
    public const string NativeProxy = "native_proxy";

    public static string ToJson(this WebDavPolicy policy) => policy switch
    {
        WebDavPolicy.Redirect302 => Redirect302,
        WebDavPolicy.UseProxyUrl => UseProxyUrl,
        _ => NativeProxy,
    };

    public static bool TryParse(string text, out WebDavPolicy policy)
    {
        switch (text)
        {
            case Redirect302: policy = WebDavPolicy.Redirect302; return true;
            case UseProxyUrl: policy = WebDavPolicy.UseProxyUrl; return true;
            case NativeProxy: policy = WebDavPolicy.NativeProxy; return true;
            default: policy = default; return false;
        }
    }
}

/// <summary>
/// One entry of <c>storages</c>, with OpenList's flat keys (<c>specs/openlist-compat.md</c> §1.1). Equality compares
/// every field, <see cref="Addition"/> by JSON content, so a reload can tell which mounts changed.
/// </summary>
public sealed record StorageRecord
{
    public long Id { get; init; }

    /// <summary>Normalised: leading <c>/</c>, no trailing slash, no <c>.</c>/<c>..</c> segments; <c>/</c> allowed.</summary>
    public string MountPath { get; init; } = "/";

    /// <summary>Driver name exactly as OpenList spells it (<c>115 Open</c>).</summary>
    public string Driver { get; init; } = "";

    public bool Disabled { get; init; }

    public int Order { get; init; }

    public string Remark { get; init; } = "";

    /// <summary>Directory-listing cache lifetime in minutes; 0 = expire at once.</summary>
    public int CacheExpiration { get; init; } = 30;

    /// <summary>One <c>glob:minutes</c> rule per line.</summary>
    public string CustomCachePolicies { get; init; } = "";

    public WebDavPolicy WebDavPolicy { get; init; } = WebDavPolicy.Redirect302;

    public string DownProxyUrl { get; init; } = "";

    /// <summary>
    /// Not an OpenList key: User-Agent substrings (comma or newline separated) that are streamed instead of redirected
    /// under <c>302_redirect</c>; null keeps the built-in list of clients that do not follow redirects, "" turns it off.
    /// </summary>
    public string? ProxyUserAgents { get; init; }

    /// <summary>
    /// OpenList's "ignore system files" as a storage key: PUT, MKCOL, LOCK-create, COPY and MOVE to <c>.DS_Store</c>,
    /// <c>._*</c>, <c>desktop.ini</c>, <c>Thumbs.db</c> or <c>@eaDir</c> get 403 without a storage call.
    /// </summary>
    public bool IgnoreSystemFiles { get; init; }

    /// <summary><c>name</c>, <c>size</c>, <c>modified</c> or empty.</summary>
    public string OrderBy { get; init; } = "";

    /// <summary><c>asc</c>, <c>desc</c> or empty.</summary>
    public string OrderDirection { get; init; } = "";

    /// <summary><c>front</c>, <c>back</c> or empty.</summary>
    public string ExtractFolder { get; init; } = "";

    public bool WebProxy { get; init; }

    public bool ProxyRange { get; init; }

    public bool EnableSign { get; init; }

    public bool DisableProxySign { get; init; }

    public bool DisableIndex { get; init; }

    /// <summary>Informational (OpenList writes the init result here); not used for loading.</summary>
    public string Status { get; init; } = "";

    public DateTimeOffset? Modified { get; init; }

    /// <summary>Driver settings: always a JSON object (detached from any document). May hold secrets.</summary>
    public JsonElement Addition { get; init; } = EmptyObject;

    internal static JsonElement EmptyObject { get; } = ParseDetached("{}");

    private static JsonElement ParseDetached(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public bool Equals(StorageRecord? other) =>
        other is not null
        && Id == other.Id
        && MountPath == other.MountPath
        && Driver == other.Driver
        && Disabled == other.Disabled
        && Order == other.Order
        && Remark == other.Remark
        && CacheExpiration == other.CacheExpiration
        && CustomCachePolicies == other.CustomCachePolicies
        && WebDavPolicy == other.WebDavPolicy
        && DownProxyUrl == other.DownProxyUrl
        && ProxyUserAgents == other.ProxyUserAgents
        && IgnoreSystemFiles == other.IgnoreSystemFiles
        && OrderBy == other.OrderBy
        && OrderDirection == other.OrderDirection
        && ExtractFolder == other.ExtractFolder
        && WebProxy == other.WebProxy
        && ProxyRange == other.ProxyRange
        && EnableSign == other.EnableSign
        && DisableProxySign == other.DisableProxySign
        && DisableIndex == other.DisableIndex
        && Status == other.Status
        && Modified == other.Modified
        && JsonElement.DeepEquals(Addition, other.Addition);

    public override int GetHashCode() => HashCode.Combine(MountPath, Driver, Disabled, Order, WebDavPolicy, CacheExpiration);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"MountPath = {MountPath}, Driver = {Driver}, Disabled = {Disabled}, Order = {Order}, ");
        builder.Append($"WebDavPolicy = {WebDavPolicy.ToJson()}, CacheExpiration = {CacheExpiration}, Addition = {{…}}");
        return true;
    }
}
