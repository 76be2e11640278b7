using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.TestSupport;

/// <summary>A response read completely: status, media type, headers and the body as JSON (if it is JSON).</summary>
public sealed record ApiResponse(HttpStatusCode Status, string? MediaType, HttpResponseHeaders Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Code => Json.GetProperty("code").GetString()!;

    public string Str(string name) => Json.GetProperty(name).GetString()!;

    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers, body);
    }

    /// <summary>Asserts the Aliyun error contract: the status, JSON, and a {code, message} body.</summary>
    public void AssertError(HttpStatusCode status, string code)
    {
        Assert.Equal(status, Status);
        Assert.Equal("application/json", MediaType);
        Assert.Equal(code, Code);
        Assert.Equal(JsonValueKind.String, Json.GetProperty("message").ValueKind);
    }

    public void AssertOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        Assert.Equal("application/json", MediaType);
    }
}
