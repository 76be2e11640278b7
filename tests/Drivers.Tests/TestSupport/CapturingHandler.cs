using System.Net;

namespace OpenList.DriverHost.Drivers.Tests.TestSupport;

/// <summary>An HttpMessageHandler answering from a function, recording each request's method, URL, headers and body.</summary>
public sealed class CapturingHandler : HttpMessageHandler
{
    private readonly Func<CapturedRequest, HttpResponseMessage> _answer;

    public CapturingHandler(Func<CapturedRequest, HttpResponseMessage> answer) => _answer = answer;

    public List<CapturedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new CapturedRequest(request.Method, request.RequestUri!, body, request.Content?.Headers.ContentType?.MediaType);
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        return _answer(recorded);
    }
}

/// <summary>What a <see cref="CapturingHandler"/> saw.</summary>
public sealed record CapturedRequest(HttpMethod Method, Uri Uri, string Body, string? ContentType)
{
    /// <summary>The query or form fields, decoded.</summary>
    public static Dictionary<string, string> Fields(string encoded) =>
        encoded.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : "", StringComparer.Ordinal);
}
