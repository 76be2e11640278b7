using System.Net;
using Microsoft.AspNetCore.WebUtilities;

namespace OpenList.DriverHost.CloudFakes.Tests.TestSupport;

/// <summary>Drives a fake consent page like a browser that stops at the redirect: no automatic redirects.</summary>
public sealed class ConsentClient(Uri baseUrl) : IDisposable
{
    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>GETs the page, asserts a 302 to <paramref name="redirectUri"/>, returns the redirect's query fields.</summary>
    public async Task<Dictionary<string, string>> AuthorizeAsync(string path, string redirectUri, params (string Key, string Value)[] query)
    {
        using var response = await Http.GetAsync(path + "?" + Query(query));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected 302, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!;
        Assert.StartsWith(redirectUri + "?", location.ToString(), StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    /// <summary>GETs the page expecting no redirect (an error page).</summary>
    public async Task<ApiResponse> RefusedAsync(string path, params (string Key, string Value)[] query)
    {
        using var response = await Http.GetAsync(path + "?" + Query(query));
        Assert.Null(response.Headers.Location);
        return await ApiResponse.ReadAsync(response);
    }

    public static string Query(params (string Key, string Value)[] fields) =>
        string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    public void Dispose() => Http.Dispose();
}
