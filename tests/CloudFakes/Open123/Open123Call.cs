using System.Globalization;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>An authenticated API call: the caller's account and the parsed body (POST/PUT) or query (GET).</summary>
internal sealed class Open123Call(HttpContext http, Open123Fake fake, Open123Account account, Open123Body? body)
{
    public HttpContext Http { get; } = http;

    public Open123Fake Fake { get; } = fake;

    public Open123Account Account { get; } = account;

    public Open123Body Body => body ?? throw new InvalidOperationException("This route has no JSON body.");

    public DateTimeOffset Now => Fake.Time.GetUtcNow();

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>A query parameter ("" when absent).</summary>
    public string Query(string name) => Http.Request.Query[name].ToString();

    /// <summary>A required integer query parameter (documented type number).</summary>
    public long QueryId(string name) =>
        Query(name) is { Length: > 0 } text
            ? long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Open123Errors.Invalid($"{name} must be a number")
            : throw Open123Errors.Invalid($"{name} is required");

    /// <summary>An optional integer query parameter; absent or "" → null.</summary>
    public long? OptionalQueryNumber(string name) =>
        Query(name) is { Length: > 0 } text
            ? long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Open123Errors.Invalid($"{name} must be a number")
            : null;
}
