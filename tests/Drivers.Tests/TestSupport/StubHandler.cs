using System.Net;
using System.Text;

namespace OpenList.DriverHost.Drivers.Tests.TestSupport;

/// <summary>An HttpMessageHandler answering from a function, recording the requests it saw.</summary>
public sealed class StubHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, HttpResponseMessage> _answer;

    public StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) => _answer = answer;

    public List<Uri> Requests { get; } = [];

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Text(HttpStatusCode status, string text) =>
        new(status) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request.RequestUri!);
        }

        return Task.FromResult(_answer(request));
    }
}
