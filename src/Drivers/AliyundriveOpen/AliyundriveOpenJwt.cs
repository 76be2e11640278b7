using System.Text;
using System.Text.Json;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>Reads claims from Aliyun's JWT tokens without verifying them (the driver only compares and schedules).</summary>
internal static class AliyundriveOpenJwt
{
    /// <summary>The <c>sub</c> claim, or null when <paramref name="token"/> is not a readable JWT.</summary>
    public static string? Subject(string? token) =>
        Payload(token) is { } payload && payload.TryGetProperty("sub", out var sub)
            ? sub.ValueKind switch
            {
                JsonValueKind.String => sub.GetString(),
                JsonValueKind.Number => sub.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>The <c>exp</c> claim as a time, or null when <paramref name="token"/> is not a JWT with one.</summary>
    public static DateTimeOffset? Expiry(string? token)
    {
        if (Payload(token) is not { } payload || !payload.TryGetProperty("exp", out var exp))
        {
            return null;
        }

        long seconds;
        if (exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var n))
        {
            seconds = n;
        }
        else if (exp.ValueKind == JsonValueKind.Number && exp.TryGetDouble(out var d) && double.IsFinite(d))
        {
            seconds = (long)d;
        }
        else
        {
            return null;
        }

        return seconds is > 0 and < 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    /// <summary>
    /// The middle segment decoded as standard base64 (missing padding tolerated, as Go's RawStdEncoding); the URL-safe
    /// alphabet is accepted too, since both tokens of a comparison go through the same decoding.
    /// </summary>
    private static JsonElement? Payload(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return null;
        }

        var text = parts[1].Replace('-', '+').Replace('_', '/').TrimEnd('=');
        text = (text.Length % 4) switch
        {
            2 => text + "==",
            3 => text + "=",
            _ => text,
        };

        try
        {
            var bytes = Convert.FromBase64String(text);
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(bytes));
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
