using System.Text.Json;

namespace OpenList.DriverHost.DriverHost.Tests.Relay;

/// <summary>renewapi requests as OpenList (GET query) and our drivers (POST form) send them.</summary>
internal static class RelayCalls
{
    public static Task<HttpResponseMessage> GetAsync(HttpClient client, string prefix, string refreshToken, string driverTxt, string serverUse = "true") =>
        client.GetAsync($"/relay/{prefix}/renewapi?refresh_ui={Uri.EscapeDataString(refreshToken)}&server_use={serverUse}&driver_txt={driverTxt}");

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string prefix, string refreshToken, string driverTxt, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/relay/{prefix}/renewapi")
        {
            Content = new FormUrlEncodedContent(
            [
                new KeyValuePair<string, string>("refresh_ui", refreshToken),
                new KeyValuePair<string, string>("server_use", "true"),
                new KeyValuePair<string, string>("driver_txt", driverTxt),
            ]),
        };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        return client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString() ?? "", StringComparison.Ordinal);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static async Task<string> TextAsync(HttpResponseMessage response) =>
        (await JsonAsync(response)).GetProperty("text").GetString() ?? "";
}
