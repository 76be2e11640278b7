using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenList.DriverHost.Drivers.Diagnostics;

/// <summary>
/// The process's counters (one <see cref="Meter"/>, named <see cref="MeterName"/>): drivers report upstream calls and
/// token refreshes, the host reports requests, cache hits, proxied bytes and open uploads. The host's
/// <c>/metrics</c> endpoint exports them in Prometheus text format; instrument names are the Prometheus names.
/// </summary>
public static class DriverHostMetrics
{
    public const string MeterName = "OpenList.DriverHost";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>HTTP requests answered, tagged <c>method</c> and <c>status</c>.</summary>
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("driverhost_http_requests_total", description: "HTTP requests answered, by method and status");

    /// <summary>Cloud API calls (after retries), tagged <c>provider</c>, <c>operation</c>, <c>outcome</c>.</summary>
    public static readonly Counter<long> UpstreamCalls = Meter.CreateCounter<long>("driverhost_upstream_calls_total", description: "Cloud API calls, by provider, operation and outcome (ok, error, throttled, unavailable, cancelled)");

    /// <summary>Access tokens renewed, tagged <c>provider</c> and <c>outcome</c>.</summary>
    public static readonly Counter<long> TokenRefreshes = Meter.CreateCounter<long>("driverhost_token_refreshes_total", description: "Access token refreshes, by provider and outcome");

    /// <summary>Directory listings asked of the listing cache, tagged <c>result</c> (hit or miss).</summary>
    public static readonly Counter<long> ListingCache = Meter.CreateCounter<long>("driverhost_listing_cache_requests_total", description: "Listing cache lookups, by result (hit, miss)");

    /// <summary>Download links asked of the link cache, tagged <c>result</c> (hit or miss).</summary>
    public static readonly Counter<long> LinkCache = Meter.CreateCounter<long>("driverhost_link_cache_requests_total", description: "Link cache lookups, by result (hit, miss)");

    /// <summary>Bytes the host streamed from download links to clients.</summary>
    public static readonly Counter<long> ProxiedBytes = Meter.CreateCounter<long>("driverhost_proxied_bytes_total", description: "Bytes streamed from download links through the host");

    /// <summary>PUT requests in progress.</summary>
    public static readonly UpDownCounter<long> OpenUploads = Meter.CreateUpDownCounter<long>("driverhost_open_uploads", description: "Uploads (PUT requests) in progress");

    public static void Hit(Counter<long> cache, bool hit) => cache.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public static void UpstreamCall(string provider, string operation, string outcome) =>
        UpstreamCalls.Add(1, new TagList { { "provider", provider }, { "operation", operation }, { "outcome", outcome } });

    public static void TokenRefresh(string provider, string outcome) =>
        TokenRefreshes.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", outcome));
}
